use static_cors::cors_policy;

cors_policy! {
    pub(crate) API = (
        origins = ["https://app.example.com/"],
        headers = ["cookie"],
        credentials = true,
        expose = "*",
    );
}

fn main() {}
