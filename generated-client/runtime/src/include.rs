//! [`include_client!`](crate::include_client): brings the client a build script generated into
//! the crate.

/// Includes the client that `codegen::Config::compile` generated into `OUT_DIR`: its `lib.rs`,
/// which brings in every module file beside it. Given a file name, includes that file of
/// `OUT_DIR` instead (the `lib.rs` of a client generated into a sub-folder of `OUT_DIR`).
///
/// In the `lib.rs` of a crate whose `build.rs` generates the client (this needs the `OUT_DIR`
/// of such a build script, so it is not run here):
///
/// ```ignore
/// client_runtime::include_client!();
/// // or, for a client generated with `.out_dir(out_dir.join("school"))`:
/// client_runtime::include_client!("school/lib.rs");
/// ```
#[macro_export]
macro_rules! include_client {
    () => {
        $crate::include_client!("lib.rs");
    };
    ($file:literal) => {
        include!(concat!(env!("OUT_DIR"), "/", $file));
    };
}
