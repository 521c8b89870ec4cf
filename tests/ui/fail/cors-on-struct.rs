use static_cors::cors;

#[cors(origins = ["https://app.example.com"])]
struct Items;

fn main() {
    let _ = Items;
}
