//! The handler measured six ways, and the four requests each is measured with.
//!
//! Every variant serves the same handler, routed by the same `#[get(...)]`, with the same
//! policy: origin `https://app.example.com`, method GET, request headers `content-type` and
//! `x-token`, exposed `x-request-id`, credentials, max-age 600. The route is a static path
//! (`/items`), a dynamic one (`/items/{id}`) — actix-web matches the second with a regular
//! expression per resource it tries, which is where a routed preflight pays — or the last of
//! twenty dynamic routes in one scope (`/api/r{i}/{id}`, each its own handler), where what
//! answers before routing must still find the route among twenty. (A single-method route:
//! actix-web's `#[route]` with several methods checks them in an order that changes from build
//! to build, and each check allocates.)

#![allow(dead_code)] // each bench binary uses part of this module

use std::future::{ready, Future, Ready};
use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{
    forward_ready, Service, ServiceFactory, ServiceRequest, ServiceResponse, Transform,
};
use actix_web::http::Method;
use actix_web::rt::Runtime;
use actix_web::test::{init_service, TestRequest};
use actix_web::{get, options, web, App, Error, HttpRequest, HttpResponse};
use futures_util::future::MapOk;
use futures_util::TryFutureExt;
use static_cors::cors;

mod floor;

pub use floor::ALLOWED;
use floor::{
    actix_cors, add_actual_headers, answer_preflight, early_answer, floor_middleware,
    origin_allowed,
};

/// An origin it refuses.
pub const REFUSED: &str = "https://evil.example";

/// The variant with static-cors's App-level layer: the same `#[cors]` routes, and
/// `.wrap(static_cors::Cors::default())` on the App (in a scope, `static_cors::scope`).
pub const LAYER: &str = "static-cors + layer";

/// The variant of static-cors's routes behind [`PassThrough`], the least any App-level
/// middleware that answers some requests itself costs.
pub const PASS_THROUGH: &str = "static-cors + pass-through wrapper";

/// The requests measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// GET from the allowed origin.
    AllowedGet,
    /// GET from a refused origin.
    RefusedGet,
    /// GET without `Origin`: not a CORS request.
    NoOrigin,
    /// A preflight for GET with two requested headers, as a browser sends it.
    Preflight,
}

impl Case {
    /// Every case, in the order the benches run them and the CSV files list them.
    pub const ALL: [Case; 4] = [
        Case::AllowedGet,
        Case::RefusedGet,
        Case::Preflight,
        Case::NoOrigin,
    ];

    /// A short name for tables.
    pub fn name(self) -> &'static str {
        match self {
            Case::AllowedGet => "allowed GET",
            Case::RefusedGet => "refused GET",
            Case::NoOrigin => "GET without Origin",
            Case::Preflight => "preflight",
        }
    }

    /// The name in CSV files and benchmark ids: no spaces.
    pub fn slug(self) -> &'static str {
        match self {
            Case::AllowedGet => "allowed-get",
            Case::RefusedGet => "refused-get",
            Case::NoOrigin => "no-origin",
            Case::Preflight => "preflight",
        }
    }

    /// A fresh request of this case.
    pub fn request(self, route: Route) -> actix_http::Request {
        let get = || TestRequest::get().uri(route.uri());
        match self {
            Case::AllowedGet => get().insert_header(("origin", ALLOWED)),
            Case::RefusedGet => get().insert_header(("origin", REFUSED)),
            Case::NoOrigin => get(),
            Case::Preflight => TestRequest::default()
                .method(Method::OPTIONS)
                .uri(route.uri())
                .insert_header(("origin", ALLOWED))
                .insert_header(("access-control-request-method", "GET"))
                .insert_header(("access-control-request-headers", "content-type,x-token")),
        }
        .to_request()
    }

    /// Whether `response` is what a correct CORS implementation answers this case with, so
    /// that no variant can look fast by doing less: the status, the CORS headers, and who
    /// answered — the handler for actual requests; for preflights, nothing routed for the
    /// variants that claim to answer before routing (the layer, the middleware floor).
    pub fn check<B>(self, variant: &str, response: &ServiceResponse<B>) {
        let status = response.status().as_u16();
        let headers = response.headers();
        let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let allow_origin = get("access-control-allow-origin");
        // Every routed request left no path unmatched; one answered before routing, all of it.
        let unrouted = response.request().match_info().unprocessed();
        if self == Case::Preflight && [LAYER, "floor: middleware"].contains(&variant) {
            assert_eq!(
                unrouted,
                response.request().path(),
                "{variant}: the preflight went through the router"
            );
        } else if self != Case::Preflight
            || ["static-cors", "floor: handler", PASS_THROUGH].contains(&variant)
        {
            assert_eq!(unrouted, "", "{variant}: {self:?} was not routed");
        }
        if variant == "bare" {
            // No CORS at all: the browser would block every cross-origin read.
            assert_eq!(allow_origin, None, "bare: {self:?}");
            return;
        }
        match self {
            Case::AllowedGet => {
                assert_eq!(status, 200, "{variant}: {self:?}");
                assert_eq!(allow_origin, Some(ALLOWED), "{variant}: {self:?}");
                assert_eq!(
                    get("access-control-allow-credentials"),
                    Some("true"),
                    "{variant}"
                );
                assert_eq!(
                    get("access-control-expose-headers"),
                    Some("x-request-id"),
                    "{variant}"
                );
            }
            Case::RefusedGet | Case::NoOrigin => {
                assert_eq!(allow_origin, None, "{variant}: {self:?}");
                assert_eq!(status, 200, "{variant}: {self:?}");
            }
            Case::Preflight => {
                assert!(
                    (200..300).contains(&status),
                    "{variant}: preflight status {status}"
                );
                assert_eq!(allow_origin, Some(ALLOWED), "{variant}: {self:?}");
                let methods = get("access-control-allow-methods").unwrap_or_default();
                assert!(methods.contains("GET"), "{variant}: methods {methods:?}");
                let allowed = get("access-control-allow-headers")
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                assert!(
                    allowed.contains("x-token") && allowed.contains("content-type"),
                    "{variant}: headers {allowed:?}"
                );
                assert_eq!(
                    get("access-control-allow-credentials"),
                    Some("true"),
                    "{variant}"
                );
                assert_eq!(get("access-control-max-age"), Some("600"), "{variant}");
            }
        }
        if self != Case::Preflight {
            let vary = get("vary").unwrap_or_default();
            // actix-cors leaves `Vary` off requests without `Origin`; the others always say it.
            if !(self == Case::NoOrigin && variant == "actix-cors") {
                assert!(
                    vary.contains("Origin") || vary.contains("origin"),
                    "{variant}: {self:?} vary {vary:?}"
                );
            }
        }
    }
}

/// The route every variant serves the handler on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/items`: matched by string comparison.
    Static,
    /// `/items/{id}`: matched by actix-web with a regular expression.
    Dynamic,
    /// `/api/r19/{id}`, the last of twenty dynamic routes `/api/r{i}/{id}` in one scope, each
    /// its own handler: the router tries the twenty regular expressions in turn, and an answer
    /// before routing must still tell these paths from others.
    Scope,
}

impl Route {
    /// Every route, in report order.
    pub const ALL: [Route; 3] = [Route::Static, Route::Dynamic, Route::Scope];

    /// The name in CSV files and benchmark ids.
    pub fn slug(self) -> &'static str {
        match self {
            Route::Static => "static-path",
            Route::Dynamic => "dynamic-path",
            Route::Scope => "scope-of-20",
        }
    }

    /// The path requests go to.
    pub fn uri(self) -> &'static str {
        match self {
            Route::Static => "/items",
            Route::Dynamic => "/items/1",
            Route::Scope => "/api/r19/1",
        }
    }
}

/// The handlers of every variant, on one route pattern, in a module of their own.
macro_rules! handlers {
    ($module:ident, $path:tt) => {
        /// The handlers of every variant on this module's route.
        mod $module {
            use super::*;

            /// The handler: bare, wrapped by actix-cors, or behind the hand-written middleware.
            #[get($path)]
            pub async fn item() -> HttpResponse {
                HttpResponse::Ok().body("item")
            }

            /// The same handler with static-cors (with or without the App-level layer).
            #[cors(
                                                        origins = ["https://app.example.com"],
                                                        headers = ["content-type", "x-token"],
                                                        expose = ["x-request-id"],
                                                        credentials = true,
                                                        max_age = 600,
                                                    )]
            #[get($path)]
            pub async fn static_cors_item() -> HttpResponse {
                HttpResponse::Ok().body("item")
            }

            /// Floor 1: the handler inserts the headers itself; a second handler answers
            /// preflights.
            #[get($path)]
            pub async fn floor_item(req: HttpRequest) -> HttpResponse {
                let mut response = HttpResponse::Ok().body("item");
                add_actual_headers(origin_allowed(req.headers()), response.headers_mut());
                response
            }

            /// Floor 1's preflight handler.
            #[options($path)]
            pub async fn floor_preflight(req: HttpRequest) -> HttpResponse {
                answer_preflight(req.headers())
            }
        }
    };
}

/// Every variant serving the handlers of `$module`s, at the App root or in a scope, with
/// `$floor` as the middleware floor; in report order.
macro_rules! variants {
    ($rt:expr, $route:expr, $mount:tt, $floor:expr, [$($module:ident),+ $(,)?]) => {{
        let (rt, route) = ($rt, $route);
        vec![
            variant_of(rt, route, "bare", mount!($mount, |cfg| {
                $(cfg.service($module::item);)+
            })),
            variant_of(rt, route, "static-cors", mount!($mount, |cfg| {
                $(cfg.service($module::static_cors_item);)+
            })),
            variant_of(
                rt,
                route,
                LAYER,
                mount_layered!($mount, |cfg| {
                    $(cfg.service($module::static_cors_item);)+
                })
                .wrap(static_cors::Cors::default()),
            ),
            variant_of(
                rt,
                route,
                "actix-cors",
                mount!($mount, |cfg| {
                    $(cfg.service($module::item);)+
                })
                .wrap(actix_cors()),
            ),
            variant_of(rt, route, "floor: handler", mount!($mount, |cfg| {
                $(cfg.service($module::floor_item).service($module::floor_preflight);)+
            })),
            variant_of(
                rt,
                route,
                "floor: middleware",
                mount!($mount, |cfg| {
                    $(cfg.service($module::item);)+
                })
                .wrap_fn($floor),
            ),
        ]
    }};
}

/// An App serving what `$configure` registers at its root, or in `web::scope($prefix)`.
macro_rules! mount {
    (root, $configure:expr) => {
        App::new().configure(|cfg: &mut web::ServiceConfig| {
            let configure: fn(&mut web::ServiceConfig) = $configure;
            configure(cfg)
        })
    };
    ($prefix:literal, $configure:expr) => {
        App::new().service(
            web::scope($prefix).configure(|cfg: &mut web::ServiceConfig| {
                let configure: fn(&mut web::ServiceConfig) = $configure;
                configure(cfg)
            }),
        )
    };
}

/// [`mount!`] for the layer: a scope is a `static_cors::scope`, which tells the layer its
/// prefix.
macro_rules! mount_layered {
    (root, $configure:expr) => {
        mount!(root, $configure)
    };
    ($prefix:literal, $configure:expr) => {
        App::new().service(
            static_cors::scope($prefix).configure(|cfg: &mut web::ServiceConfig| {
                let configure: fn(&mut web::ServiceConfig) = $configure;
                configure(cfg)
            }),
        )
    };
}

handlers!(static_path, "/items");
handlers!(dynamic_path, "/items/{id}");

/// static-cors's routes of `$module`s behind [`PassThrough`].
macro_rules! pass_through_variant {
    ($rt:expr, $route:expr, $mount:tt, [$($module:ident),+ $(,)?]) => {
        variant_of(
            $rt,
            $route,
            PASS_THROUGH,
            mount!($mount, |cfg| {
                $(cfg.service($module::static_cors_item);)+
            })
            .wrap(PassThrough),
        )
    };
}

/// The twenty routes `/api/r{i}/{id}` of [`Route::Scope`], each its own handler (of each
/// kind), and their variants, all in scope `/api`.
macro_rules! scope_of_routes {
    ($($module:ident: $path:tt),+ $(,)?) => {
        $(handlers!($module, $path);)+

        /// Every variant on the scope of twenty routes.
        fn scope_variants(rt: &Runtime) -> Vec<(&'static str, Measure<'_>)> {
            variants!(rt, Route::Scope, "/api", scope_floor_middleware, [$($module),+])
        }

        /// [`PASS_THROUGH`] on the scope of twenty routes.
        fn scope_pass_through(rt: &Runtime) -> (&'static str, Measure<'_>) {
            pass_through_variant!(rt, Route::Scope, "/api", [$($module),+])
        }
    };
}

scope_of_routes!(
    r0: "/r0/{id}",
    r1: "/r1/{id}",
    r2: "/r2/{id}",
    r3: "/r3/{id}",
    r4: "/r4/{id}",
    r5: "/r5/{id}",
    r6: "/r6/{id}",
    r7: "/r7/{id}",
    r8: "/r8/{id}",
    r9: "/r9/{id}",
    r10: "/r10/{id}",
    r11: "/r11/{id}",
    r12: "/r12/{id}",
    r13: "/r13/{id}",
    r14: "/r14/{id}",
    r15: "/r15/{id}",
    r16: "/r16/{id}",
    r17: "/r17/{id}",
    r18: "/r18/{id}",
    r19: "/r19/{id}",
);

/// The number of routes in [`Route::Scope`]'s scope.
const SCOPE_ROUTES: u32 = 20;

/// static-cors's routes on `route` alone, behind [`PassThrough`] and behind the App-level
/// layer, ready to measure: what of the layer's cost on actual requests is its own.
pub fn wrapper_variants(rt: &Runtime, route: Route) -> Vec<(&'static str, Measure<'_>)> {
    let pass_through = match route {
        Route::Static => pass_through_variant!(rt, route, root, [static_path]),
        Route::Dynamic => pass_through_variant!(rt, route, root, [dynamic_path]),
        Route::Scope => scope_pass_through(rt),
    };
    let mut wrapped = variants(rt, route);
    wrapped.retain(|(name, _)| ["static-cors", LAYER].contains(name));
    wrapped.insert(1, pass_through);
    wrapped
}

/// A wrapper that does nothing but map the response body into `EitherBody`, as an App-level
/// middleware must when it answers some requests itself (`static_cors::Cors`, actix-cors):
/// the floor under the layer's cost on actual requests.
pub struct PassThrough;

impl<S, B> Transform<S, ServiceRequest> for PassThrough
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = PassThroughService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(PassThroughService { service }))
    }
}

/// The service [`PassThrough`] builds.
pub struct PassThroughService<S> {
    service: S,
}

impl<S, B> Service<ServiceRequest> for PassThroughService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = MapOk<S::Future, fn(ServiceResponse<B>) -> ServiceResponse<EitherBody<B>>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        self.service
            .call(req)
            .map_ok(ServiceResponse::map_into_left_body as fn(_) -> _)
    }
}

/// Every variant on `route`, ready to measure, in report order: bare, static-cors (routed),
/// static-cors with the App-level layer, actix-cors, and the two hand-written floors.
pub fn variants(rt: &Runtime, route: Route) -> Vec<(&'static str, Measure<'_>)> {
    match route {
        Route::Static => variants!(rt, route, root, floor_middleware, [static_path]),
        Route::Dynamic => variants!(rt, route, root, floor_middleware, [dynamic_path]),
        Route::Scope => scope_variants(rt),
    }
}

/// Floor 2 on [`Route::Scope`]: answers before routing the preflights for the scope's twenty
/// paths, `/api/r{i}/{id}` — the least a hand-written middleware must check so as not to
/// answer preflights for paths the App does not serve. (Actual responses get the headers
/// whatever the path, as on the other routes: the App serves nothing else.)
fn scope_floor_middleware<S>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<BoxBody>, Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse<BoxBody>, Error = Error>,
    S::Future: 'static,
{
    early_answer(req, srv, in_scope)
}

/// Whether `path` is `/api/r{i}/{id}` with `i` below [`SCOPE_ROUTES`] (written without a
/// leading zero) and a non-empty `id` segment.
fn in_scope(path: &str) -> bool {
    let Some((number, id)) = path
        .strip_prefix("/api/r")
        .and_then(|rest| rest.split_once('/'))
    else {
        return false;
    };
    let index = match number.as_bytes() {
        [d @ b'0'..=b'9'] => u32::from(d - b'0'),
        [t @ b'1'..=b'9', d @ b'0'..=b'9'] => u32::from(t - b'0') * 10 + u32::from(d - b'0'),
        _ => return false,
    };
    index < SCOPE_ROUTES && !id.is_empty() && !id.contains('/')
}

/// Reads a process-wide counter pair (allocations, bytes): the allocation bench passes its
/// counting allocator's totals, the timing benches [`no_count`].
pub type Counter = fn() -> [u64; 2];

/// A counter that counts nothing, for the timing benches.
pub fn no_count() -> [u64; 2] {
    [0, 0]
}

/// What one measure took: the time of the requests alone (building them is not timed), and
/// how far the [`Counter`] moved meanwhile.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sample {
    /// Time spent in `call` and in dropping the responses.
    pub time: Duration,
    /// Counter delta over the same span.
    pub counted: [u64; 2],
}

/// A variant's measure: serves `n` requests of a case and returns what they took.
pub type Measure<'a> = Box<dyn Fn(Case, u64, Counter) -> Sample + 'a>;

/// Requests are built this many at a time, outside the timed span.
const CHUNK: usize = 256;

/// Builds `app`, checks that it answers every case correctly, and returns its measure.
fn variant_of<'a, T, B>(
    rt: &'a Runtime,
    route: Route,
    name: &'static str,
    app: App<T>,
) -> (&'static str, Measure<'a>)
where
    B: MessageBody + 'static,
    T: ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<B>,
            Error = Error,
            InitError = (),
        > + 'static,
{
    let app = rt.block_on(init_service(app));
    for case in Case::ALL {
        let response = rt
            .block_on(app.call(case.request(route)))
            .expect("a response");
        case.check(name, &response);
    }
    let measure: Measure<'a> = Box::new(move |case, n, counter| {
        rt.block_on(async {
            let mut sample = Sample::default();
            let mut requests = Vec::with_capacity(CHUNK);
            let mut left = n;
            while left > 0 {
                let chunk = left.min(CHUNK as u64);
                requests.extend((0..chunk).map(|_| case.request(route)));
                let before = counter();
                let start = Instant::now();
                for request in requests.drain(..) {
                    std::hint::black_box(app.call(std::hint::black_box(request)).await.ok());
                }
                sample.time += start.elapsed();
                let after = counter();
                sample.counted[0] += after[0] - before[0];
                sample.counted[1] += after[1] - before[1];
                left -= chunk;
            }
            sample
        })
    });
    (name, measure)
}

/// The median of `values` (the upper one of an even count).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Prints `title` and the CSV rows, and writes them to `bench-report/<file>` in the target
/// directory (`CARGO_TARGET_DIR` if set, as `scripts/bench.sh` reads it), for the tables and the
/// chart.
pub fn report(title: &str, file: &str, header: &str, rows: &[String]) {
    println!("{title}");
    println!("{header}");
    for row in rows {
        println!("{row}");
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
        std::path::PathBuf::from,
    );
    let dir = target.join("bench-report");
    std::fs::create_dir_all(&dir).expect("report directory");
    let mut text = String::from(header);
    for row in rows {
        text.push('\n');
        text.push_str(row);
    }
    text.push('\n');
    std::fs::write(dir.join(file), text).expect("report file");
}

/// Whether the binary runs as `cargo bench` runs it, not as a quick `cargo test --benches` smoke.
pub fn is_bench_run() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Times `runs` in interleaved rounds — each run `iters` times per round, the order rotated
/// every round — and returns ns per iteration as `[run][round]`.
pub fn interleave<F: Fn(u64) -> Duration>(rounds: usize, iters: u64, runs: &[F]) -> Vec<Vec<f64>> {
    let mut samples = vec![Vec::with_capacity(rounds); runs.len()];
    for round in 0..rounds {
        for k in 0..runs.len() {
            let i = (k + round) % runs.len();
            let time = runs[i](iters);
            samples[i].push(time.as_nanos() as f64 / iters as f64);
        }
    }
    samples
}

/// The median over rounds of `samples[i][r] / samples[j][r]`.
pub fn median_ratio(samples: &[Vec<f64>], i: usize, j: usize) -> f64 {
    median(
        samples[i]
            .iter()
            .zip(&samples[j])
            .map(|(a, b)| a / b)
            .collect(),
    )
}

/// Runs `f` `iters` times on a black-boxed input and returns the time taken.
pub fn time_loop<T, R>(iters: u64, input: &T, f: impl Fn(&T) -> R) -> Duration
where
    T: ?Sized,
{
    let start = Instant::now();
    for _ in 0..iters {
        std::hint::black_box(f(std::hint::black_box(input)));
    }
    start.elapsed()
}

/// Times `AllowedOrigins::allows` for each `(list, origin)` pair, interleaved, and counts the
/// allocations of 1,000 lookups with `allocations_of` (the bench's counting allocator): ns per
/// lookup as `[pair][round]`, and allocations per pair.
pub fn measure_lookups(
    pairs: &[(&'static static_cors::AllowedOrigins, &'static str)],
    rounds: usize,
    batch: u64,
    allocations_of: fn(&dyn Fn()) -> u64,
) -> (Vec<Vec<f64>>, Vec<u64>) {
    let runs: Vec<_> = pairs
        .iter()
        .map(|&(origins, origin)| {
            move |iters| time_loop(iters, origin.as_bytes(), |o| origins.allows(o))
        })
        .collect();
    let samples = interleave(rounds, batch, &runs);
    let allocations = pairs
        .iter()
        .map(|&(origins, origin)| {
            allocations_of(&|| {
                for _ in 0..1000 {
                    std::hint::black_box(origins.allows(origin.as_bytes()));
                }
            })
        })
        .collect();
    (samples, allocations)
}
