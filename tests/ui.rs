//! Compile-time checks: every policy mistake is a compile error on the token at fault
//! (`tests/ui/fail/*.rs`), and tricky but valid policies compile (`tests/ui/pass/*.rs`).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
