//! Turns the CSV files `scripts/bench.sh` collects into the tables and the chart of
//! `BENCHMARKS.md`.
//!
//! ```sh
//! bench-report <report dir> <chart.png> <tables.md> [font.ttf]
//! ```
//!
//! The report directory holds `per_request.csv`, `allocations.csv`, `origin_scaling.csv`,
//! `header_parsing.csv`, `compile_time.csv`, `wire.csv` and `machine.txt`; a missing file
//! leaves its section out. The tables state each goal (BENCHMARKS.md) and whether it is met.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use plotters::prelude::*;
use plotters::style::FontStyle;

/// One CSV file: its header and rows, as strings.
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn read(path: &Path) -> Option<Self> {
        let text = std::fs::read_to_string(path).ok()?;
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let header = lines.next()?.split(',').map(str::to_owned).collect();
        let rows = lines
            .map(|l| l.split(',').map(str::to_owned).collect())
            .collect();
        Some(Self { header, rows })
    }

    fn column(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name} in {:?}", self.header))
    }

    /// Rows whose columns equal the given values.
    fn select<'a>(
        &'a self,
        filter: &'a [(&'a str, &'a str)],
    ) -> impl Iterator<Item = &'a Vec<String>> {
        let filter: Vec<(usize, &str)> = filter.iter().map(|(c, v)| (self.column(c), *v)).collect();
        self.rows
            .iter()
            .filter(move |row| filter.iter().all(|(c, v)| row[*c] == *v))
    }

    /// The number in column `name` of the one row matching `filter`.
    fn number(&self, filter: &[(&str, &str)], name: &str) -> f64 {
        let column = self.column(name);
        self.select(filter)
            .next()
            .and_then(|row| row[column].parse().ok())
            .unwrap_or(f64::NAN)
    }
}

/// The median of `values`.
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn mark(met: bool) -> &'static str {
    if met {
        "✅ met"
    } else {
        "❌ missed"
    }
}

const CASES: [(&str, &str); 4] = [
    ("allowed-get", "allowed GET"),
    ("refused-get", "refused GET"),
    ("no-origin", "GET without Origin"),
    ("preflight", "preflight"),
];
/// static-cors with its App-level layer, `static_cors::Cors`.
const LAYER: &str = "static-cors + layer";
const VARIANTS: [&str; 6] = [
    "bare",
    "static-cors",
    LAYER,
    "actix-cors",
    "floor: handler",
    "floor: middleware",
];
const ROUTES: [(&str, &str); 3] = [
    ("static-path", "static path `/items`"),
    ("dynamic-path", "dynamic path `/items/{id}`"),
    (
        "scope-of-20",
        "the last of 20 dynamic routes in a scope, `/api/r19/{id}`",
    ),
];
/// The actual requests, on which the layer must cost (almost) nothing.
const ACTUAL_CASES: [(&str, &str); 3] = [
    ("allowed-get", "allowed GET"),
    ("refused-get", "refused GET"),
    ("no-origin", "GET without Origin"),
];

/// The layer's goals on `route`: its preflight against the middleware floor (answering
/// before routing, as the layer does) and actix-cors, where stated.
fn layer_preflight_goals(route: &str) -> Option<(f64, f64)> {
    match route {
        "static-path" => Some((1.10, 0.5)),
        "scope-of-20" => Some((1.25, 0.5)),
        _ => None,
    }
}

/// Everything the chart shows, gathered while writing the tables.
#[derive(Default)]
struct ChartData {
    /// [case] → [variant] → × bare, static path.
    time: Vec<Vec<f64>>,
    /// [case] → [variant] → allocations per request, static path.
    allocations: Vec<Vec<f64>>,
    /// (group name, [small, medium, large] ns per lookup).
    scaling: Vec<(String, Vec<f64>)>,
    /// (group name, static-cors, static-cors + layer, actix-cors): ratios to the baseline.
    wire_and_build: Vec<(String, f64, f64, f64)>,
}

fn per_request(csv: &Csv, md: &mut String, chart: &mut ChartData) {
    md.push_str("## 1. In-process time per request\n\n");
    md.push_str(
        "`init_service` + `call` on one runtime; requests are built outside the timed span. \
         Ratios are medians of per-round ratios from one interleaved run (41 rounds of 2,000 \
         requests per variant). *Better floor* is the faster of the two hand-written floors in \
         each round. *static-cors + layer* is the same App as *static-cors* with \
         `.wrap(static_cors::Cors::default())` (in the scope, `static_cors::scope` for \
         `web::scope`); *× static-cors* is its cost over the App without the layer.\n\n",
    );
    for (route, route_name) in ROUTES {
        let _ = writeln!(md, "### {route_name}\n");
        md.push_str("| case | variant | ns/request | × bare | × actix-cors | × floor: handler | × floor: middleware | × better floor | × static-cors |\n|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
        for (case, case_name) in CASES {
            for variant in VARIANTS {
                let f = [("route", route), ("case", case), ("variant", variant)];
                let bold = if variant == "static-cors" || variant == LAYER {
                    "**"
                } else {
                    ""
                };
                let _ = writeln!(
                    md,
                    "| {case_name} | {bold}{variant}{bold} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {bold}{:.2}{bold} | {:.2} |",
                    csv.number(&f, "ns_per_request"),
                    csv.number(&f, "x_bare"),
                    csv.number(&f, "x_actix_cors"),
                    csv.number(&f, "x_floor_handler"),
                    csv.number(&f, "x_floor_middleware"),
                    csv.number(&f, "x_better_floor"),
                    csv.number(&f, "x_static_cors"),
                );
            }
        }
        md.push('\n');
        layer_goals(csv, route, md);
        if route == "scope-of-20" {
            // The per-route goals below were set for one route; here the table says it all.
            continue;
        }
        md.push_str("| goal | case | static-cors | verdict |\n|---|---|--:|---|\n");
        for (case, case_name) in CASES {
            let f = [("route", route), ("case", case), ("variant", "static-cors")];
            let floor = csv.number(&f, "x_better_floor");
            let _ = writeln!(
                md,
                "| within 1.10× of the better floor | {case_name} | {floor:.2}× | {} |",
                mark(floor <= 1.10)
            );
        }
        for (case, case_name, limit) in [
            ("allowed-get", "allowed GET", 0.75),
            ("preflight", "preflight", 0.5),
        ] {
            let f = [("route", route), ("case", case), ("variant", "static-cors")];
            let x = csv.number(&f, "x_actix_cors");
            let _ = writeln!(
                md,
                "| at most {limit}× of actix-cors's time | {case_name} | {x:.2}× | {} |",
                mark(x <= limit)
            );
        }
        md.push('\n');
    }
    chart.time = static_path_matrix(csv, "x_bare");
}

/// The layer's goals on `route`, as a table: its preflight against the middleware floor and
/// actix-cors (where stated), its actual requests against the same App without it.
fn layer_goals(csv: &Csv, route: &str, md: &mut String) {
    md.push_str(
        "| goal (App-level layer) | case | static-cors + layer | verdict |\n|---|---|--:|---|\n",
    );
    let layer = |case: &str, column: &str| {
        csv.number(
            &[("route", route), ("case", case), ("variant", LAYER)],
            column,
        )
    };
    if let Some((floor_limit, actix_limit)) = layer_preflight_goals(route) {
        let x = layer("preflight", "x_floor_middleware");
        let _ = writeln!(
            md,
            "| within {floor_limit:.2}× of the middleware floor (answers before routing) | preflight | {x:.2}× | {} |",
            mark(x <= floor_limit)
        );
        let x = layer("preflight", "x_actix_cors");
        let _ = writeln!(
            md,
            "| at most {actix_limit}× of actix-cors's time | preflight | {x:.2}× | {} |",
            mark(x <= actix_limit)
        );
    }
    for (case, case_name) in ACTUAL_CASES {
        let x = layer(case, "x_static_cors");
        let _ = writeln!(
            md,
            "| within 1.05× of the same App without the layer | {case_name} | {x:.2}× | {} |",
            mark(x <= 1.05)
        );
    }
    md.push('\n');
}

/// `column` on the static path, per case (rows) and variant (columns), for the chart.
fn static_path_matrix(csv: &Csv, column: &str) -> Vec<Vec<f64>> {
    CASES
        .iter()
        .map(|(case, _)| {
            VARIANTS
                .iter()
                .map(|v| {
                    csv.number(
                        &[("route", "static-path"), ("case", case), ("variant", v)],
                        column,
                    )
                })
                .collect()
        })
        .collect()
}

fn allocations(csv: &Csv, md: &mut String, chart: &mut ChartData) {
    md.push_str("## 2. Allocations per request\n\n");
    md.push_str(
        "Counted by a global allocator over 1,000 requests after 1,000 warm-up requests \
         (pools filled). The bench fails if static-cors adds any over the handler floor, if the \
         App-level layer adds any to an actual request, or if the layer's preflight among 20 \
         routes makes more than the middleware floor's.\n\n",
    );
    for (route, route_name) in ROUTES {
        let _ = writeln!(md, "### {route_name}\n");
        md.push_str("| case | bare | **static-cors** | **static-cors + layer** | actix-cors | floor: handler | floor: middleware | static-cors over handler floor | over middleware floor | layer over static-cors | layer over middleware floor |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (case, case_name) in CASES {
            let n = |v: &str| {
                csv.number(
                    &[("route", route), ("case", case), ("variant", v)],
                    "allocations_per_request",
                )
            };
            let b = |v: &str| {
                csv.number(
                    &[("route", route), ("case", case), ("variant", v)],
                    "bytes_per_request",
                )
            };
            let sc = [("route", route), ("case", case), ("variant", "static-cors")];
            let layer = [("route", route), ("case", case), ("variant", LAYER)];
            let _ = writeln!(
                md,
                "| {case_name} | {} ({} B) | **{} ({} B)** | **{} ({} B)** | {} ({} B) | {} ({} B) | {} ({} B) | {:+} | {:+} | {:+} | {:+} |",
                n("bare"), b("bare"), n("static-cors"), b("static-cors"), n(LAYER), b(LAYER),
                n("actix-cors"), b("actix-cors"),
                n("floor: handler"), b("floor: handler"), n("floor: middleware"), b("floor: middleware"),
                csv.number(&sc, "added_over_handler_floor"),
                csv.number(&sc, "added_over_middleware_floor"),
                csv.number(&layer, "added_over_static_cors"),
                csv.number(&layer, "added_over_middleware_floor"),
            );
        }
        md.push('\n');
    }
    let met = csv.select(&[("variant", "static-cors")]).all(|row| {
        row[csv.column("added_over_handler_floor")]
            .parse::<f64>()
            .is_ok_and(|a| a <= 0.0)
    });
    let _ = writeln!(
        md,
        "Goal: static-cors adds no allocation over the handler floor, on every case and route — {}.\n",
        mark(met)
    );
    let layer_added = |filter: &[(&str, &str)], column: &str| {
        csv.select(filter)
            .filter(|row| row[csv.column("variant")] == LAYER)
            .map(|row| row[csv.column(column)].parse::<f64>().unwrap_or(f64::NAN))
            .collect::<Vec<_>>()
    };
    let actual_met = ACTUAL_CASES.iter().all(|(case, _)| {
        layer_added(&[("case", case)], "added_over_static_cors")
            .iter()
            .all(|a| *a <= 0.0)
    });
    let _ = writeln!(
        md,
        "Goal: the App-level layer adds no allocation to an actual request (allowed, refused, \
         without `Origin`), on every route — {}.\n",
        mark(actual_met)
    );
    let preflight_met = layer_added(
        &[("case", "preflight"), ("route", "scope-of-20")],
        "added_over_middleware_floor",
    )
    .iter()
    .all(|a| *a <= 0.0);
    let _ = writeln!(
        md,
        "Goal: the layer's preflight among 20 routes makes no more allocations than the \
         middleware floor's — {}.\n",
        mark(preflight_met)
    );
    chart.allocations = static_path_matrix(csv, "allocations_per_request");
}

fn origin_scaling(csv: &Csv, md: &mut String, chart: &mut ChartData) {
    md.push_str("## 3. Origin matching at scale\n\n");
    md.push_str(
        "`AllowedOrigins::allows` on lists built like the macro's (exact origins, and the \
         suffixes of subdomain patterns: one comparison for one entry, a perfect-hash set beyond \
         four), probed with the last entry (hit) and an origin of the same shape no entry covers \
         (miss); sizes interleaved, 31 rounds of 20,000 lookups. The 1-entry lists are the fast \
         outliers; flatness is measured from the smallest hashed list.\n\n",
    );
    md.push_str("| list | outcome | size | ns/lookup | × smallest | × smallest hashed | allocations |\n|---|---|--:|--:|--:|--:|--:|\n");
    let mut flat = true;
    for row in &csv.rows {
        let get = |c: &str| row[csv.column(c)].as_str();
        let hashed: f64 = get("x_smallest_hashed").parse().unwrap_or(f64::NAN);
        flat &= hashed <= 1.5 && get("allocations_per_lookup") == "0";
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            get("kind"),
            get("outcome"),
            get("size"),
            get("ns_per_lookup"),
            get("x_smallest"),
            get("x_smallest_hashed"),
            get("allocations_per_lookup"),
        );
    }
    let _ = writeln!(md, "\nGoal: flat (largest within 1.5× of the smallest hashed list) and allocation-free — {}.\n", mark(flat));
    let mut groups: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    for row in &csv.rows {
        let get = |c: &str| row[csv.column(c)].clone();
        groups
            .entry((get("kind"), get("outcome")))
            .or_default()
            .push(get("ns_per_lookup").parse().unwrap_or(f64::NAN));
    }
    chart.scaling = groups
        .into_iter()
        .map(|((kind, outcome), values)| (format!("{kind} {outcome}"), values))
        .collect();
}

fn header_parsing(csv: &Csv, md: &mut String) {
    md.push_str("## 4. Hostile `Access-Control-Request-Headers`\n\n");
    md.push_str(
        "The parser alone (`RequestedHeaders`) and a whole preflight decision \
         (`Policy::evaluate_preflight` under `headers = \"*\"`, which reads every name); 31 \
         interleaved rounds.\n\n",
    );
    md.push_str("| stage | input | ns | ns/name | × ns/name of 16 | × time of 16 names | allocations |\n|---|---|--:|--:|--:|--:|--:|\n");
    let mut ok = true;
    for row in &csv.rows {
        let get = |c: &str| row[csv.column(c)].as_str();
        let per_name: f64 = get("x_per_name_16").parse().unwrap_or(f64::NAN);
        let to_16: f64 = get("x_16_names").parse().unwrap_or(f64::NAN);
        if get("input") == "1024 names" {
            ok &= per_name <= 1.5;
        }
        if get("input") == "1024 commas" {
            ok &= to_16 <= 2.0;
        }
        ok &= get("allocations") == "0";
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            get("stage"),
            get("input"),
            get("ns"),
            get("ns_per_name"),
            get("x_per_name_16"),
            get("x_16_names"),
            get("allocations"),
        );
    }
    let _ = writeln!(
        md,
        "\nGoal: linear in names (ns per name at 1,024 within 1.5× of 16), bounded for commas \
         (refused after 16 empty elements), allocation-free — {}.\n",
        mark(ok)
    );
}

/// Median of per-round ratios `numerator / denominator` over rows of `csv` keyed by `round`.
fn round_ratios(
    csv: &Csv,
    key: &str,
    numerator: &str,
    denominator: &str,
    value: &str,
    filter: &[(&str, &str)],
) -> f64 {
    let mut by_round: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let (round, key_column, value_column) =
        (csv.column("round"), csv.column(key), csv.column(value));
    for row in csv.select(filter) {
        let entry = by_round
            .entry(row[round].clone())
            .or_insert((f64::NAN, f64::NAN));
        let v: f64 = row[value_column].parse().unwrap_or(f64::NAN);
        if row[key_column] == numerator {
            entry.0 = v;
        } else if row[key_column] == denominator {
            entry.1 = v;
        }
    }
    median(
        by_round
            .values()
            .map(|(n, d)| n / d)
            .filter(|r| r.is_finite())
            .collect(),
    )
}

fn compile_time(csv: &Csv, md: &mut String, chart: &mut ChartData) {
    md.push_str("## 5. Compile time\n\n");
    md.push_str(
        "A generated crate of 200 handlers (10 files of 20), each `#[get(\"/rN/items/{id}\")]` \
         with a full `#[cors(...)]` (two origins, one a pattern; headers; expose; credentials; \
         max-age), against the same crate without `#[cors]`; debug profile, dependencies built \
         beforehand. *Clean* rebuilds the crate from scratch (`cargo clean -p`); *incremental* \
         changes one handler's body in one file. Rounds alternate the two crates; ratios are \
         medians of per-round ratios.\n\n",
    );
    md.push_str("| build | without `#[cors]` (s) | with `#[cors]` (s) | ratio | goal < 1.25× |\n|---|--:|--:|--:|---|\n");
    let mut ratios = Vec::new();
    for (column, name) in [
        ("clean_seconds", "clean"),
        ("incremental_seconds", "one-file incremental"),
    ] {
        let seconds = |variant: &str| {
            let c = csv.column(column);
            median(
                csv.select(&[("variant", variant)])
                    .filter_map(|r| r[c].parse().ok())
                    .collect(),
            )
        };
        let ratio = round_ratios(csv, "variant", "with", "without", column, &[]);
        let _ = writeln!(
            md,
            "| {name} | {:.2} | {:.2} | {ratio:.2}× | {} |",
            seconds("without"),
            seconds("with"),
            mark(ratio < 1.25)
        );
        ratios.push((format!("build {name}"), ratio));
    }
    md.push('\n');
    for (name, ratio) in ratios {
        chart
            .wire_and_build
            .push((name.replace("one-file ", ""), ratio, f64::NAN, f64::NAN));
    }
}

fn wire(csv: &Csv, md: &mut String, chart: &mut ChartData) {
    md.push_str("## 6. Over the wire\n\n");
    md.push_str(
        "`examples/bench_server.rs` (release, one worker, `GET /items`), one server per mode, \
         all running at once on their own ports, pinned to CPU 0 with `taskset`; `wrk` (one \
         thread, 32 connections) pinned to CPU 1 on loopback. *static-cors + layer* is the same \
         route with `static_cors::Cors` on the App, which answers the preflight before routing; \
         *floor: middleware* is the in-process bench's hand-written middleware floor; bare \
         answers the preflight with a 404. A round runs each mode for one second per request, \
         in an order rotated every round; ratios are medians of per-round ratios to bare.\n\n",
    );
    const MODES: [(&str, &str); 5] = [
        ("bare", "bare"),
        ("static-cors", "static-cors"),
        ("static-cors-layer", "static-cors + layer"),
        ("actix-cors", "actix-cors"),
        ("floor", "floor: middleware"),
    ];
    const CASES: [(&str, &str); 2] = [("get", "GET with Origin"), ("preflight", "preflight")];
    let cpu_column = "server_cpu_ns_per_request";
    let has_cpu = csv.header.iter().any(|h| h == cpu_column);
    let median_of = |mode: &str, case: &str, column: &str| {
        let c = csv.column(column);
        median(
            csv.select(&[("mode", mode), ("case", case)])
                .filter_map(|r| r[c].parse().ok())
                .collect(),
        )
    };
    // Per-round ratios to bare: throughput (mode / bare) or, from CPU time per request, the
    // throughput one core sustains (bare / mode).
    let to_bare = |mode: &str, case: &str, column: &str| {
        let filter = [("case", case)];
        if mode == "bare" {
            1.0
        } else if column == cpu_column {
            round_ratios(csv, "mode", "bare", mode, column, &filter)
        } else {
            round_ratios(csv, "mode", mode, "bare", column, &filter)
        }
    };
    let mut measures = vec![(
        "requests_per_second",
        "throughput",
        "Throughput as `wrk` measured it (req/s, medians over rounds):",
        "req/s",
    )];
    if has_cpu {
        measures.push((
            cpu_column,
            "server CPU",
            "Server CPU time per request: the scheduler's run time of the server's threads \
             during a run (kernel time included), divided by the requests served; ns, medians \
             over rounds. The ratio it gives (bare's CPU per request over the mode's) is the \
             throughput one core sustains, and it holds when other work on this shared machine \
             takes CPU time from the server, which the raw throughput does not:",
            "CPU ns",
        ));
    }
    let mut goals = String::new();
    for (column, measure, intro, unit) in measures {
        let _ = writeln!(md, "{intro}\n");
        let _ = writeln!(
            md,
            "| mode | GET with Origin ({unit}) | × bare | preflight ({unit}) | × bare |\n|---|--:|--:|--:|--:|"
        );
        for (mode, name) in MODES {
            let bold = if mode.starts_with("static-cors") {
                "**"
            } else {
                ""
            };
            let _ = writeln!(
                md,
                "| {bold}{name}{bold} | {:.0} | {:.3} | {:.0} | {:.3} |",
                median_of(mode, "get", column),
                to_bare(mode, "get", column),
                median_of(mode, "preflight", column),
                to_bare(mode, "preflight", column),
            );
        }
        md.push('\n');
        for (case, case_name) in CASES {
            let sc = to_bare("static-cors", case, column);
            let _ = writeln!(
                goals,
                "| static-cors at least 0.95× bare | {case_name} | {measure} | {sc:.3}× | {} |",
                mark(sc >= 0.95)
            );
        }
        let layer = to_bare("static-cors-layer", "preflight", column);
        let _ = writeln!(
            goals,
            "| static-cors + layer at least 0.97× bare's 404 | preflight | {measure} | {layer:.3}× | {} |",
            mark(layer >= 0.97)
        );
        let floor = to_bare("floor", "preflight", column);
        let _ = writeln!(
            goals,
            "| (reference: the floor against the same goal) | preflight | {measure} | {floor:.3}× | {} |",
            mark(floor >= 0.97)
        );
        // The chart shows the steadier measure.
        if column == cpu_column || !has_cpu {
            for (case, _) in CASES {
                let [sc, layer, ac] = ["static-cors", "static-cors-layer", "actix-cors"]
                    .map(|m| to_bare(m, case, column));
                chart
                    .wire_and_build
                    .insert(0, (format!("wire {case}"), sc, layer, ac));
            }
        }
    }
    md.push_str("| goal | request | measure | ratio | verdict |\n|---|---|---|--:|---|\n");
    md.push_str(&goals);
    md.push('\n');
}

fn draw(chart: &ChartData, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let root = BitMapBackend::new(path, (1600, 1100)).into_drawing_area();
    root.fill(&WHITE)?;
    let (title, body) = root.split_vertically(60);
    title.draw(&Text::new(
        "static-cors benchmarks (static path; ratios from interleaved runs)",
        (20, 15),
        ("DejaVu Sans", 30).into_font().style(FontStyle::Bold),
    ))?;
    let panels = body.split_evenly((2, 2));
    let colours = [
        RGBColor(150, 150, 150),
        RGBColor(31, 119, 180),
        RGBColor(148, 103, 189),
        RGBColor(214, 39, 40),
        RGBColor(255, 160, 60),
        RGBColor(44, 160, 44),
    ];
    let case_names: Vec<String> = CASES.iter().map(|(_, n)| n.to_string()).collect();
    let series: Vec<(String, RGBColor)> = VARIANTS
        .iter()
        .zip(colours)
        .map(|(v, c)| (v.to_string(), c))
        .collect();
    bars(
        &panels[0],
        "time per request, × bare (lower is better)",
        &case_names,
        &series,
        &chart.time,
        Some(1.0),
        "{:.2}",
    )?;
    bars(
        &panels[1],
        "allocations per request (lower is better)",
        &case_names,
        &series,
        &chart.allocations,
        None,
        "{:.0}",
    )?;
    let scaling_names: Vec<String> = chart.scaling.iter().map(|(n, _)| n.clone()).collect();
    let scaling_series = vec![
        ("smallest list (1)".to_owned(), RGBColor(120, 180, 230)),
        ("100".to_owned(), RGBColor(31, 119, 180)),
        (
            "largest (10,000 exact / 1,000 patterns)".to_owned(),
            RGBColor(10, 50, 100),
        ),
    ];
    let scaling_values: Vec<Vec<f64>> = chart.scaling.iter().map(|(_, v)| v.clone()).collect();
    bars(
        &panels[2],
        "origin lookup, ns (flat = size does not matter)",
        &scaling_names,
        &scaling_series,
        &scaling_values,
        None,
        "{:.0}",
    )?;
    let wb_names: Vec<String> = chart
        .wire_and_build
        .iter()
        .map(|(n, ..)| n.clone())
        .collect();
    let wb_values: Vec<Vec<f64>> = chart
        .wire_and_build
        .iter()
        .map(|(_, s, l, a)| vec![*s, *l, *a])
        .collect();
    bars(
        &panels[3],
        "wire: capacity × bare (higher is better); build time × without (lower)",
        &wb_names,
        &[
            ("static-cors".to_owned(), colours[1]),
            (LAYER.to_owned(), colours[2]),
            ("actix-cors".to_owned(), colours[3]),
        ],
        &wb_values,
        Some(1.0),
        "{:.2}",
    )?;
    root.present()?;
    Ok(())
}

/// A grouped bar chart: one group per name, one bar per series, values printed on the bars.
fn bars(
    area: &DrawingArea<BitMapBackend<'_>, plotters::coord::Shift>,
    caption: &str,
    groups: &[String],
    series: &[(String, RGBColor)],
    values: &[Vec<f64>],
    reference: Option<f64>,
    format: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let top = values
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .fold(reference.unwrap_or(0.0), f64::max)
        * 1.18;
    let bottom = -top * 0.09;
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("DejaVu Sans", 22))
        .margin(14)
        .x_label_area_size(4)
        .y_label_area_size(50)
        .build_cartesian_2d(0f64..groups.len() as f64, bottom..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .disable_x_axis()
        .y_labels(6)
        .y_label_style(("DejaVu Sans", 15))
        .draw()?;
    let width = 0.8 / series.len() as f64;
    for (s, (name, colour)) in series.iter().enumerate() {
        let bars = values.iter().enumerate().filter_map(|(g, row)| {
            let v = *row.get(s)?;
            v.is_finite().then(|| {
                let x0 = g as f64 + 0.1 + s as f64 * width;
                Rectangle::new([(x0, 0.0), (x0 + width * 0.92, v)], colour.filled())
            })
        });
        let colour = *colour;
        chart
            .draw_series(bars)?
            .label(name.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.filled()));
        let labels = values.iter().enumerate().filter_map(|(g, row)| {
            let v = *row.get(s)?;
            v.is_finite().then(|| {
                let x = g as f64 + 0.1 + s as f64 * width;
                let text = if format == "{:.0}" {
                    format!("{v:.0}")
                } else {
                    format!("{v:.2}")
                };
                Text::new(text, (x, v + top * 0.015), ("DejaVu Sans", 12))
            })
        });
        chart.draw_series(labels)?;
    }
    if let Some(reference) = reference {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, reference), (groups.len() as f64, reference)],
            BLACK.stroke_width(1),
        )))?;
    }
    chart.draw_series(groups.iter().enumerate().map(|(g, name)| {
        Text::new(
            name.clone(),
            (g as f64 + 0.1, bottom * 0.45),
            ("DejaVu Sans", 16),
        )
    }))?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font(("DejaVu Sans", 14))
        .draw()?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [dir, png, tables, rest @ ..] = args.as_slice() else {
        eprintln!("usage: bench-report <report dir> <chart.png> <tables.md> [font.ttf]");
        std::process::exit(2);
    };
    let font = rest
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"));
    let font: &'static [u8] = Box::leak(std::fs::read(&font)?.into_boxed_slice());
    for style in [FontStyle::Normal, FontStyle::Bold] {
        plotters::style::register_font("DejaVu Sans", style, font)
            .map_err(|_| "the font cannot be read")?;
    }

    let mut md = String::new();
    if let Ok(machine) = std::fs::read_to_string(dir.join("machine.txt")) {
        md.push_str("## Machine and run\n\n");
        for line in machine.lines().filter(|l| !l.trim().is_empty()) {
            let _ = writeln!(md, "- {line}");
        }
        md.push('\n');
    }
    let mut chart = ChartData::default();
    if let Some(csv) = Csv::read(&dir.join("per_request.csv")) {
        per_request(&csv, &mut md, &mut chart);
    }
    if let Some(csv) = Csv::read(&dir.join("allocations.csv")) {
        allocations(&csv, &mut md, &mut chart);
    }
    if let Some(csv) = Csv::read(&dir.join("origin_scaling.csv")) {
        origin_scaling(&csv, &mut md, &mut chart);
    }
    if let Some(csv) = Csv::read(&dir.join("header_parsing.csv")) {
        header_parsing(&csv, &mut md);
    }
    if let Some(csv) = Csv::read(&dir.join("compile_time.csv")) {
        compile_time(&csv, &mut md, &mut chart);
    }
    if let Some(csv) = Csv::read(&dir.join("wire.csv")) {
        wire(&csv, &mut md, &mut chart);
    }
    std::fs::write(tables, md)?;
    draw(&chart, png)?;
    println!("wrote {} and {}", tables.display(), png.display());
    Ok(())
}
