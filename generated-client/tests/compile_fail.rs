//! Named construction is checked by the compiler: a builder missing a required field, a value
//! given to the wrong field, or the old positional constructor does not compile. Each case's
//! error is pinned next to it (`tests/compile-fail/*.stderr`).

#[test]
#[cfg(all(feature = "dingtalk", feature = "classin"))]
fn misused_builders_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/compile-fail/*.rs");
}
