//! A planned key set as tokens: the runtime's `KeySet` the plan describes (one comparison for
//! one key, scanned for a few, a `phf::Map` from each key to its position beyond).

use cors_runtime::lowering::{KeyLookup, KeySetPlan};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::LitByteStr;

use crate::private::private;

/// The `KeySet` expression `plan` describes.
pub fn key_set(plan: &KeySetPlan) -> TokenStream {
    let p = private();
    let joined = plan.joined();
    match &plan.lookup {
        KeyLookup::One => quote!(#p::KeySet::one(#joined)),
        KeyLookup::Scanned => quote!(#p::KeySet::scanned(#joined)),
        KeyLookup::Hashed { key, disps, slots } => {
            let disps = disps.iter().map(|(a, b)| quote!((#a, #b)));
            let entries = slots.iter().map(|&position| {
                let lit = LitByteStr::new(plan.keys[position].as_bytes(), Span::call_site());
                let position = u32::try_from(position).expect("fewer than 2^32 keys");
                quote!((#lit as &[u8], #position))
            });
            quote!(#p::KeySet::hashed(
                #joined,
                #p::phf::Map { key: #key, disps: &[#(#disps),*], entries: &[#(#entries),*] },
            ))
        }
    }
}
