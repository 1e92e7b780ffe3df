//! Generates the client modules from `../spec` into `OUT_DIR` on every build that needs it.

fn main() {
    codegen::build::compile("../spec");
}
