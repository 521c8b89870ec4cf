use static_cors::cors_policy;

cors_policy! {
    pub API = (origins = ["https://app.example.com"]);
}

fn main() {}
