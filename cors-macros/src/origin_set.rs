//! Perfect-hash tables for a policy's origins, generated at compile time so a lookup costs the
//! same for one origin or ten thousand.

use proc_macro2::TokenStream;
use quote::quote;
use syn::LitByteStr;

/// A `phf::Map<&[u8], V>` expression whose values of type `ty` are produced by `value` from
/// each key. The entries live in their own `static`, so values with destructors are allowed.
pub fn map(keys: &[String], ty: TokenStream, value: impl Fn(&str) -> TokenStream) -> TokenStream {
    let phf = quote!(::static_cors::__private::phf);
    if keys.is_empty() {
        return quote!(#phf::Map { key: 0, disps: &[], entries: &[] });
    }
    let bytes: Vec<&[u8]> = keys.iter().map(|k| k.as_bytes()).collect();
    let state = phf_generator::generate_hash(&bytes);
    let key = state.key;
    let disps = state.disps.iter().map(|(a, b)| quote!((#a, #b)));
    let entries = state.map.iter().map(|&i| {
        let lit = LitByteStr::new(bytes[i], proc_macro2::Span::call_site());
        let value = value(&keys[i]);
        quote!((#lit as &[u8], #value))
    });
    let len = keys.len();
    quote!({
        static ENTRIES: [(&[u8], #ty); #len] = [#(#entries),*];
        #phf::Map { key: #key, disps: &[#(#disps),*], entries: &ENTRIES }
    })
}

/// A `phf::Set<&[u8]>` literal.
pub fn set(keys: &[String]) -> TokenStream {
    let map = map(keys, quote!(()), |_| quote!(()));
    quote!(::static_cors::__private::phf::Set { map: #map })
}
