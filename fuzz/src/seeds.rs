//! Seed corpora: files in the repository (the cookbook's formats and configurations, the
//! CPython-made frames in `fuzz/seeds/`) plus what each driver adds in code.

use std::path::{Path, PathBuf};

/// The repository's root (the fuzz crate sits in `fuzz/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

/// Strings under `keys` of `tests/differential/cookbook_seeds.json` (the cookbook's formats,
/// datefmts, logger names, messages, extracted from its text). Empty if the file is missing.
pub fn cookbook(keys: &[&str]) -> Vec<String> {
    let path = repo_root().join("tests/differential/cookbook_seeds.json");
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let Ok(serde_json::Value::Object(doc)) = serde_json::from_str::<serde_json::Value>(&text)
    else {
        return Vec::new();
    };
    keys.iter()
        .filter_map(|k| doc.get(*k))
        .filter_map(|v| v.as_array())
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// Every file in `dir` (relative to the repository root) whose name ends with one of `exts`,
/// sorted by name so runs are reproducible.
pub fn files(dir: &str, exts: &[&str]) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(repo_root().join(dir)) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            exts.iter().any(|e| name.ends_with(e))
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| std::fs::read(p).ok())
        .collect()
}

/// The lines of a text file in the repository, blank ones left out.
pub fn lines(file: &str) -> Vec<Vec<u8>> {
    std::fs::read_to_string(repo_root().join(file))
        .map(|t| {
            t.lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.as_bytes().to_vec())
                .collect()
        })
        .unwrap_or_default()
}
