//! Generates this part of the API from `../spec/courses` into `OUT_DIR`.

fn main() -> Result<(), codegen::BuildError> {
    codegen::Config::new()
        .spec_dir("../spec/courses")
        // The shared types are generated once, in `split-types`; re-exported here.
        .extern_specs("../spec/types", "split_types")
        .compile()
}
