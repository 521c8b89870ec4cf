//! The multi-tenant example's server: the tenant database in a SQLite file, its origins in
//! `TENANT_ORIGINS`, the API and the admin endpoints on loopback.
//!
//! ```text
//! cargo run --manifest-path examples/multi-tenant/Cargo.toml
//! ```
//!
//! `MULTI_TENANT_DB` names the database file (default: `static-cors-multi-tenant.sqlite3` in
//! the temporary directory; created and seeded when missing, kept between runs);
//! `MULTI_TENANT_PORT` the port (default 8085). `RUST_LOG=static_cors=debug` logs each refusal.

use std::path::PathBuf;
use std::process::ExitCode;

use actix_web::{web, App, HttpServer};
use multi_tenant::{configure, Tenants, APP_ORIGIN, TENANT_ORIGINS};

/// The port when `MULTI_TENANT_PORT` is not set.
const DEFAULT_PORT: u16 = 8085;

#[actix_web::main]
async fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("multi-tenant: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the database, loads the origins, serves until stopped.
async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::var_os("MULTI_TENANT_DB").map_or_else(
        || std::env::temp_dir().join("static-cors-multi-tenant.sqlite3"),
        PathBuf::from,
    );
    let port = match std::env::var("MULTI_TENANT_PORT") {
        Ok(port) => port
            .parse::<u16>()
            .map_err(|e| format!("MULTI_TENANT_PORT={port}: {e}"))?,
        Err(_) => DEFAULT_PORT,
    };
    let tenants = Tenants::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let loaded = tenants.load()?;
    let tenants = web::Data::new(tenants);

    let base = format!("http://127.0.0.1:{port}");
    println!("tenant database: {}", path.display());
    println!(
        "{loaded} tenant origins loaded: {:?}",
        TENANT_ORIGINS.entries()
    );
    println!("API: {base}/api/widgets (our app {APP_ORIGIN} and every tenant origin)");
    println!("\ntry:");
    println!("  curl -si {base}/api/widgets -H 'Origin: https://acme.example.com'");
    println!("  curl -s {base}/admin/tenants");
    println!(
        "  curl -si {base}/admin/tenants/1/origins -H 'content-type: application/json' \
         -d '{{\"origin\": \"https://shop.acme.example\"}}'"
    );
    println!(
        "  curl -si {base}/admin/tenants/1/origins -H 'content-type: application/json' \
         -d '{{\"origin\": \"https://shop.acme.example/\"}}'   # 400, with the fix"
    );
    println!(
        "  curl -si -X DELETE '{base}/admin/tenants/1/origins?origin=https://shop.acme.example'"
    );

    HttpServer::new(move || App::new().app_data(tenants.clone()).configure(configure))
        .workers(2)
        .bind(("127.0.0.1", port))?
        .run()
        .await?;
    Ok(())
}
