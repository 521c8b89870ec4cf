//! placeholder
pub use cors_macros::cors;
pub use cors_runtime::{Policy};
#[doc(hidden)]
pub mod __private {
    pub use actix_web;
    pub use cors_runtime::actix::{register_preflight, ActualRequestCors};
    pub use cors_runtime::{http, phf, AllowedHeaders, AllowedOrigins, ExposedHeaders, HeaderTables, OriginList, Policy, PolicyParts};
}
