//! The built component has the shape `wit/world.wit` declares: our exports, our imports,
//! and no file system or network access of its own.

mod common;

#[test]
fn the_component_exports_the_api_and_imports_only_its_sinks_and_wasi_basics() {
    let rt = common::runtime();
    let ty = rt.component().component_type();
    let engine = rt.engine();
    let mut exports: Vec<String> = ty.exports(engine).map(|(n, _)| n.to_owned()).collect();
    exports.sort();
    assert_eq!(
        exports,
        [
            "wasi:logging/logging@0.1.0-draft",
            "wasm-logging:logging/config@0.1.0",
            "wasm-logging:logging/handlers@0.1.0",
            "wasm-logging:logging/loggers@0.1.0",
            "wasm-logging:logging/tour@0.1.0",
        ]
    );
    let imports: Vec<String> = ty.imports(engine).map(|(n, _)| n.to_owned()).collect();
    eprintln!("imports: {imports:#?}");
    for ours in [
        "wasm-logging:logging/console@0.1.0",
        "wasm-logging:logging/storage@0.1.0",
        "wasm-logging:logging/host-info@0.1.0",
        "wasm-logging:logging/factories@0.1.0",
        "wasi:clocks/wall-clock@0.2.6",
    ] {
        assert!(imports.iter().any(|i| i == ours), "{ours} not imported");
    }
    for forbidden in ["wasi:filesystem", "wasi:sockets", "wasi:http"] {
        assert!(
            !imports.iter().any(|i| i.starts_with(forbidden)),
            "{forbidden} imported: {imports:?}"
        );
    }
}
