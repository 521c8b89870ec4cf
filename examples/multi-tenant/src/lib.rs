//! Multi-tenant CORS with static-cors: each tenant registers its own origins (custom domains,
//! preview deployments), kept in SQLite and granted by `#[cors]` through a live [`OriginSet`].
//!
//! - [`TENANT_ORIGINS`] is the set the API's policy reads: `set(TENANT_ORIGINS)` next to the
//!   app's own origin, a literal checked at compile time.
//! - At start-up [`Tenants::open`] creates (and, when new, seeds) the database and
//!   [`Tenants::load`] fills the set with every stored origin, all or nothing.
//! - The admin endpoints add and remove a tenant's origins. An origin is checked by the set's
//!   rules *before* anything is written; the database row and the set entry change together,
//!   under one lock, so the two never disagree.
//!
//! The admin endpoints carry no `#[cors]`: they are same-origin only. They take JSON only, so
//! a foreign page cannot call them with a form or a "simple" `fetch()` (a JSON body needs a
//! preflight, which they never grant) and register its own origin. A real app also puts them
//! behind authentication.
//!
//! Run it with `cargo run --manifest-path examples/multi-tenant/Cargo.toml`.

#![warn(missing_docs, clippy::missing_docs_in_private_items)]

use std::fmt;
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use actix_web::http::StatusCode;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse, Responder, ResponseError};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use static_cors::{cors, OriginError, OriginSet, ReplaceError};

/// The origins tenants registered, as the API's policy reads them. Loaded from the database at
/// start-up, changed by the admin endpoints; each entry is checked when it enters, by the
/// rules of a literal origin in a credentialed policy (https, or plain http on loopback).
pub static TENANT_ORIGINS: OriginSet = OriginSet::new();

/// Our own web app's origin: granted whatever the tenants register (a literal in the policy).
pub const APP_ORIGIN: &str = "https://app.example.com";

/// The tenants a new database starts with: id, name and origins.
pub const SEED: &[(i64, &str, &[&str])] = &[
    (1, "Acme", &["https://acme.example.com"]),
    (
        2,
        "Globex",
        &[
            "https://globex.example.net",
            "https://*.preview.globex.example.net",
        ],
    ),
];

/// The schema: tenants, and the origins each registered (an origin belongs to one tenant).
const SCHEMA: &str = "
    PRAGMA foreign_keys = ON;
    CREATE TABLE IF NOT EXISTS tenants (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS tenant_origins (
        tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        origin    TEXT NOT NULL UNIQUE
    );
";

/// The widgets of whichever tenant's page asks: our app and every registered tenant origin may
/// call it with cookies and a bearer token.
///
/// `max_age = 0`: a browser never reuses a preflight, so an origin removed by the admin is
/// refused on its very next call. With `max_age = 600` a page that had just been granted could
/// go on sending preflighted calls for ten minutes (actual responses stop granting it at once,
/// but the browser would still send the request).
#[cors(
    origins = ["https://app.example.com", set(TENANT_ORIGINS)],
    headers = ["authorization", "content-type"],
    credentials = true,
    max_age = 0,
)]
#[get("/api/widgets")]
async fn widgets(req: HttpRequest) -> impl Responder {
    let origin = req
        .headers()
        .get("origin")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("same-origin");
    HttpResponse::Ok().json(serde_json::json!({
        "widgets": ["gear", "sprocket"],
        "for": origin,
    }))
}

/// The tenants and their origins, and what the live set holds.
#[get("/admin/tenants")]
async fn list_tenants(tenants: web::Data<Tenants>) -> actix_web::Result<HttpResponse> {
    let list = web::block(move || tenants.list()).await??;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "tenants": list,
        "live": TENANT_ORIGINS.entries(),
    })))
}

/// The body of `POST /admin/tenants/{id}/origins`.
#[derive(Debug, Deserialize)]
pub struct NewOrigin {
    /// The serialized origin (`https://shop.example.com`) or subdomain pattern
    /// (`https://*.preview.example.com`).
    pub origin: String,
}

/// Registers an origin for a tenant: `201` when added, `200` when it was registered already,
/// `400` with the rule and the fix for an origin the set refuses, `404` for an unknown tenant,
/// `409` for an origin another tenant registered.
#[post("/admin/tenants/{id}/origins")]
async fn add_origin(
    tenants: web::Data<Tenants>,
    id: web::Path<i64>,
    body: web::Json<NewOrigin>,
) -> actix_web::Result<HttpResponse> {
    let id = id.into_inner();
    let origin = body.into_inner().origin;
    let (added, origin) = web::block(move || {
        let added = tenants.add_origin(id, &origin);
        (added, origin)
    })
    .await?;
    let added = added?;
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(HttpResponse::build(status)
        .json(serde_json::json!({ "tenant": id, "origin": origin, "added": added })))
}

/// The query of `DELETE /admin/tenants/{id}/origins?origin=...`.
#[derive(Debug, Deserialize)]
pub struct OriginQuery {
    /// The origin, written as it was registered.
    pub origin: String,
}

/// Removes a tenant's origin: `204`, or `404` if the tenant or its origin is unknown.
#[delete("/admin/tenants/{id}/origins")]
async fn remove_origin(
    tenants: web::Data<Tenants>,
    id: web::Path<i64>,
    query: web::Query<OriginQuery>,
) -> actix_web::Result<HttpResponse> {
    let id = id.into_inner();
    let origin = query.into_inner().origin;
    web::block(move || tenants.remove_origin(id, &origin)).await??;
    Ok(HttpResponse::NoContent().finish())
}

/// Registers the API and the admin endpoints; the App provides `web::Data<Tenants>`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(widgets)
        .service(list_tenants)
        .service(add_origin)
        .service(remove_origin);
}

/// Checks `origin` by the rules of [`TENANT_ORIGINS`] without changing it.
///
/// # Errors
/// The rule `origin` breaks, and the fix.
pub fn check(origin: &str) -> Result<(), OriginError> {
    TENANT_ORIGINS.check(origin)
}

/// A tenant, as the admin listing shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tenant {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The origins it registered, oldest first.
    pub origins: Vec<String>,
}

/// The tenant database, and the only writer of [`TENANT_ORIGINS`] after start-up.
#[derive(Debug)]
pub struct Tenants {
    /// One connection; the lock also keeps each database change and its set change together.
    db: Mutex<Connection>,
}

impl Tenants {
    /// Opens (or creates) the database file at `path`, creates the tables, and seeds them with
    /// [`SEED`] if it has no tenant yet. Does not touch [`TENANT_ORIGINS`]: see [`Self::load`].
    ///
    /// # Errors
    /// The database's.
    pub fn open(path: impl AsRef<Path>) -> rusqlite::Result<Self> {
        let mut db = Connection::open(path)?;
        db.execute_batch(SCHEMA)?;
        let tenants: i64 = db.query_row("SELECT count(*) FROM tenants", [], |row| row.get(0))?;
        if tenants == 0 {
            let seed = db.transaction()?;
            for (id, name, origins) in SEED {
                seed.execute(
                    "INSERT INTO tenants (id, name) VALUES (?1, ?2)",
                    params![id, name],
                )?;
                for origin in *origins {
                    seed.execute(
                        "INSERT INTO tenant_origins (tenant_id, origin) VALUES (?1, ?2)",
                        params![id, origin],
                    )?;
                }
            }
            seed.commit()?;
        }
        Ok(Self { db: Mutex::new(db) })
    }

    /// Replaces [`TENANT_ORIGINS`] with every origin in the database; how many.
    ///
    /// # Errors
    /// A database error, or every stored origin the set refuses (a row written around the admin
    /// endpoints): then the set is unchanged.
    pub fn load(&self) -> Result<usize, LoadError> {
        let db = self.lock();
        let origins: Vec<String> = db
            .prepare("SELECT origin FROM tenant_origins ORDER BY tenant_id, rowid")?
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        TENANT_ORIGINS.replace(&origins)?;
        Ok(origins.len())
    }

    /// Every tenant with its origins.
    ///
    /// # Errors
    /// The database's.
    pub fn list(&self) -> Result<Vec<Tenant>, AdminError> {
        let db = self.lock();
        let mut tenants: Vec<Tenant> = db
            .prepare("SELECT id, name FROM tenants ORDER BY id")?
            .query_map([], |row| {
                Ok(Tenant {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    origins: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        for tenant in &mut tenants {
            tenant.origins = origins_of(&db, tenant.id)?;
        }
        Ok(tenants)
    }

    /// Registers `origin` for `tenant`: checked first, then written to the database, then added
    /// to [`TENANT_ORIGINS`]; `false` if the tenant had registered it already.
    ///
    /// # Errors
    /// [`AdminError::Refused`] with the rule and the fix, [`AdminError::UnknownTenant`],
    /// [`AdminError::Taken`] by another tenant, or a database error; in each case nothing
    /// changed.
    pub fn add_origin(&self, tenant: i64, origin: &str) -> Result<bool, AdminError> {
        let db = self.lock();
        require_tenant(&db, tenant)?;
        check(origin)?;
        let owner: Option<i64> = db
            .query_row(
                "SELECT tenant_id FROM tenant_origins WHERE origin = ?1",
                [origin],
                |row| row.get(0),
            )
            .optional()?;
        match owner {
            Some(owner) if owner == tenant => return Ok(false),
            Some(owner) => {
                return Err(AdminError::Taken {
                    origin: origin.to_owned(),
                    tenant: owner,
                })
            }
            None => {}
        }
        db.execute(
            "INSERT INTO tenant_origins (tenant_id, origin) VALUES (?1, ?2)",
            params![tenant, origin],
        )?;
        // The set takes what `check` took; were it ever to refuse, the row goes too.
        if let Err(refused) = TENANT_ORIGINS.insert(origin) {
            db.execute("DELETE FROM tenant_origins WHERE origin = ?1", [origin])?;
            return Err(AdminError::Refused(refused));
        }
        log::info!("tenant {tenant} registered {origin}");
        Ok(true)
    }

    /// Removes `origin` (written as it was registered) from `tenant`'s origins and from
    /// [`TENANT_ORIGINS`].
    ///
    /// # Errors
    /// [`AdminError::UnknownTenant`], [`AdminError::NotRegistered`], or a database error.
    pub fn remove_origin(&self, tenant: i64, origin: &str) -> Result<(), AdminError> {
        let db = self.lock();
        require_tenant(&db, tenant)?;
        let removed = db.execute(
            "DELETE FROM tenant_origins WHERE tenant_id = ?1 AND origin = ?2",
            params![tenant, origin],
        )?;
        if removed == 0 {
            return Err(AdminError::NotRegistered {
                origin: origin.to_owned(),
                tenant,
            });
        }
        if !TENANT_ORIGINS.remove(origin) {
            log::warn!("{origin} of tenant {tenant} was not in the live set");
        }
        log::info!("tenant {tenant} removed {origin}");
        Ok(())
    }

    /// The connection; a panic while it was held leaves nothing half-done (each change is one
    /// statement, and the set is changed last), so a poisoned lock is taken as is.
    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `tenant`'s origins, oldest first.
fn origins_of(db: &Connection, tenant: i64) -> rusqlite::Result<Vec<String>> {
    db.prepare("SELECT origin FROM tenant_origins WHERE tenant_id = ?1 ORDER BY rowid")?
        .query_map([tenant], |row| row.get(0))?
        .collect()
}

/// [`AdminError::UnknownTenant`] unless `tenant` exists.
fn require_tenant(db: &Connection, tenant: i64) -> Result<(), AdminError> {
    let known = db
        .query_row("SELECT 1 FROM tenants WHERE id = ?1", [tenant], |_| Ok(()))
        .optional()?;
    known.ok_or(AdminError::UnknownTenant(tenant))
}

/// Why [`Tenants::load`] left [`TENANT_ORIGINS`] as it was.
#[derive(Debug)]
pub enum LoadError {
    /// Reading the database failed.
    Database(rusqlite::Error),
    /// Stored origins the set refuses, each with the rule it breaks and the fix.
    Refused(ReplaceError),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Database(error) => write!(f, "reading the tenant origins: {error}"),
            Self::Refused(error) => write!(f, "tenant origins in the database: {error}"),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<rusqlite::Error> for LoadError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Database(error)
    }
}

impl From<ReplaceError> for LoadError {
    fn from(error: ReplaceError) -> Self {
        Self::Refused(error)
    }
}

/// Why an admin request changed nothing.
#[derive(Debug)]
pub enum AdminError {
    /// No tenant has this id.
    UnknownTenant(i64),
    /// The set's rules refuse the origin.
    Refused(OriginError),
    /// Another tenant registered the origin.
    Taken {
        /// The origin.
        origin: String,
        /// The tenant that registered it.
        tenant: i64,
    },
    /// The tenant has no such origin.
    NotRegistered {
        /// The origin.
        origin: String,
        /// The tenant.
        tenant: i64,
    },
    /// The database failed.
    Database(rusqlite::Error),
}

impl fmt::Display for AdminError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownTenant(id) => write!(f, "no tenant {id}"),
            Self::Refused(error) => error.fmt(f),
            Self::Taken { origin, tenant } => {
                write!(f, "origin {origin:?} is registered by tenant {tenant}")
            }
            Self::NotRegistered { origin, tenant } => {
                write!(f, "tenant {tenant} has no origin {origin:?}")
            }
            Self::Database(error) => write!(f, "database: {error}"),
        }
    }
}

impl std::error::Error for AdminError {}

impl From<rusqlite::Error> for AdminError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Database(error)
    }
}

impl From<OriginError> for AdminError {
    fn from(error: OriginError) -> Self {
        Self::Refused(error)
    }
}

impl ResponseError for AdminError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::UnknownTenant(_) | Self::NotRegistered { .. } => StatusCode::NOT_FOUND,
            Self::Refused(_) => StatusCode::BAD_REQUEST,
            Self::Taken { .. } => StatusCode::CONFLICT,
            Self::Database(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// JSON: `error`, and for a refused origin the `origin` and the rule's `help`.
    fn error_response(&self) -> HttpResponse {
        let body = match self {
            Self::Refused(refused) => serde_json::json!({
                "error": refused.rule().message,
                "help": refused.rule().help,
                "origin": refused.entry(),
            }),
            Self::Database(error) => {
                log::error!("tenant database: {error}");
                serde_json::json!({ "error": "database error" })
            }
            other => serde_json::json!({ "error": other.to_string() }),
        };
        HttpResponse::build(self.status_code()).json(body)
    }
}
