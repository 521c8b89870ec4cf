//! The sets of a policy's origins, generated at compile time: the keys for a few, plus a
//! perfect-hash index for more, so a lookup costs the same for one origin or ten thousand.

use cors_runtime::key_set::SCANNED_KEYS;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::LitByteStr;

/// A `KeySet` expression holding `keys` (checked origins or suffixes: no spaces): one
/// comparison for one key, scanned for up to [`SCANNED_KEYS`], with a `phf::Map` from each key
/// to its position beyond.
pub fn key_set(keys: &[String]) -> TokenStream {
    let p = quote!(::static_cors::__private);
    let joined = keys.join(" ");
    match keys.len() {
        1 => return quote!(#p::KeySet::one(#joined)),
        n if n <= SCANNED_KEYS => return quote!(#p::KeySet::scanned(#joined)),
        _ => {}
    }
    let bytes: Vec<&[u8]> = keys.iter().map(|k| k.as_bytes()).collect();
    let state = phf_generator::generate_hash(&bytes);
    let key = state.key;
    let disps = state.disps.iter().map(|(a, b)| quote!((#a, #b)));
    let entries = state.map.iter().map(|&position| {
        let lit = LitByteStr::new(bytes[position], Span::call_site());
        let position = u32::try_from(position).expect("fewer than 2^32 origins");
        quote!((#lit as &[u8], #position))
    });
    quote!(#p::KeySet::hashed(
        #joined,
        #p::phf::Map { key: #key, disps: &[#(#disps),*], entries: &[#(#entries),*] },
    ))
}
