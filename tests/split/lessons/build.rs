//! Generates this part of the API from `../spec/lessons` into `OUT_DIR`.

fn main() -> Result<(), codegen::BuildError> {
    codegen::Config::new()
        .spec_dir("../spec/lessons")
        // The shared types are generated once, in `split-types`; re-exported here.
        .extern_specs("../spec/types", "split_types")
        // Method examples name the shared types through this crate's re-export.
        .doc_examples("split_lessons")
        .compile()
}
