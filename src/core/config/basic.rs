//! `logging.basicConfig(**kwargs)`.

use std::rc::Rc;

use super::read::{entries, expected, level_of, stream_of};
use super::{ConfigEnv, ConfigError};
use crate::core::formatter::{Formatter, RecordFormatter, Style};
use crate::core::handler::Handler;
use crate::core::handlers::ConsoleHandler;
use crate::core::manager::{default_manager, Manager};
use crate::core::sink::Stream;
use crate::core::value::{Text, Value};

/// `basicConfig`'s keyword arguments.
#[derive(Clone, Default)]
pub struct BasicConfig {
    /// `level`: a number or a registered name.
    pub level: Option<Value>,
    /// `format` (default: the style's `levelname:name:message`).
    pub format: Option<Text>,
    /// `datefmt`.
    pub datefmt: Option<Text>,
    /// `style`: `"%"` (default), `"{"` or `"$"`.
    pub style: Option<Text>,
    /// `filename`: a log in the host's storage.
    pub filename: Option<Text>,
    /// `filemode` (default `"a"`).
    pub filemode: Option<Text>,
    /// `stream`: a console stream (default standard error).
    pub stream: Option<Stream>,
    /// `handlers`: handlers to add to the root logger.
    pub handlers: Option<Vec<Rc<dyn Handler>>>,
    /// `force`: remove and close the root's handlers first.
    pub force: bool,
    /// `encoding`: only UTF-8, the storage's encoding.
    pub encoding: Option<Text>,
}

impl std::fmt::Debug for BasicConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BasicConfig")
            .field("level", &self.level)
            .field("format", &self.format)
            .field("style", &self.style)
            .field("filename", &self.filename)
            .field("force", &self.force)
            .finish()
    }
}

impl BasicConfig {
    /// The options from a keyword dictionary (`{"level": "INFO", "format": …}`), as the JS
    /// and WIT bindings receive them. Unknown keys are CPython's
    /// `ValueError: Unrecognised argument(s): …`.
    pub fn from_value(v: &Value) -> Result<BasicConfig, ConfigError> {
        let mut cfg = BasicConfig::default();
        let mut unknown = Vec::new();
        let text = |k: &str, v: &Value| -> Result<Option<Text>, ConfigError> {
            match v {
                Value::None => Ok(None),
                Value::Str(s) => Ok(Some(s.clone())),
                other => Err(ConfigError::new(
                    k,
                    format!("{k}: {}", expected("a string", other)),
                )),
            }
        };
        for (k, val) in entries(v, "")? {
            match k.as_str() {
                "level" => cfg.level = Some(val).filter(|v| !matches!(v, Value::None)),
                "format" => cfg.format = text("format", &val)?,
                "datefmt" => cfg.datefmt = text("datefmt", &val)?,
                "style" => cfg.style = text("style", &val)?,
                "filename" => cfg.filename = text("filename", &val)?,
                "filemode" => cfg.filemode = text("filemode", &val)?,
                "encoding" => cfg.encoding = text("encoding", &val)?,
                "stream" => {
                    cfg.stream = match &val {
                        Value::None => None,
                        other => Some(
                            stream_of(other)
                                .map_err(|m| ConfigError::new("stream", format!("stream: {m}")))?,
                        ),
                    }
                }
                "force" => match val {
                    Value::Bool(b) => cfg.force = b,
                    Value::None => {}
                    other => {
                        return Err(ConfigError::new(
                            "force",
                            format!("force: {}", expected("a boolean", &other)),
                        ))
                    }
                },
                "errors" => {}
                other => unknown.push(other.to_owned()),
            }
        }
        if !unknown.is_empty() {
            return Err(ConfigError::new(
                unknown[0].clone(),
                format!("Unrecognised argument(s): {}", unknown.join(", ")),
            ));
        }
        Ok(cfg)
    }
}

/// `logging.basicConfig(...)` on the default manager.
pub fn basic_config(cfg: BasicConfig) -> Result<(), ConfigError> {
    basic_config_with(&default_manager(), &super::default_env(), cfg)
}

/// `basicConfig` on a given manager: does nothing if the root already has handlers (unless
/// `force`), as in CPython; otherwise validates everything, then configures the root.
pub fn basic_config_with(
    manager: &Manager,
    env: &ConfigEnv,
    cfg: BasicConfig,
) -> Result<(), ConfigError> {
    let root = manager.root();
    if !cfg.force && !root.handlers().is_empty() {
        return Ok(());
    }
    if cfg.handlers.is_some() && (cfg.stream.is_some() || cfg.filename.is_some()) {
        return Err(ConfigError::new(
            "handlers",
            "'stream' or 'filename' should not be specified together with 'handlers'",
        ));
    }
    if cfg.stream.is_some() && cfg.filename.is_some() {
        return Err(ConfigError::new(
            "stream",
            "'stream' and 'filename' should not be specified together",
        ));
    }
    super::check_encoding(cfg.encoding.clone())
        .map_err(|(k, m)| ConfigError::new(k, format!("encoding: {m}")))?;
    let style = match &cfg.style {
        None => Style::Percent,
        Some(s) => {
            Style::from_char(s).map_err(|e| ConfigError::new("style", e.message().to_owned()))?
        }
    };
    let fs: Text = cfg.format.clone().unwrap_or(Text::Static(match style {
        Style::Percent => "%(levelname)s:%(name)s:%(message)s",
        Style::Brace => "{levelname}:{name}:{message}",
        Style::Dollar => "${levelname}:${name}:${message}",
    }));
    let mut builder = Formatter::builder().fmt(fs).style(style);
    if let Some(d) = &cfg.datefmt {
        builder = builder.datefmt(d.clone());
    }
    let formatter: Rc<dyn RecordFormatter> = Rc::new(
        builder
            .build()
            .map_err(|e| ConfigError::new("format", e.message().to_owned()))?,
    );
    let level = match &cfg.level {
        None => None,
        Some(l) => Some(level_of(l).map_err(|m| ConfigError::new("level", m))?),
    };
    #[cfg_attr(not(feature = "full"), allow(unused_mut))]
    let mut opener = None;
    let handlers: Vec<Rc<dyn Handler>> = match (
        &cfg.handlers,
        cfg.filename.as_deref().filter(|f| !f.is_empty()),
    ) {
        (Some(hs), _) => hs.clone(),
        #[cfg(not(feature = "full"))]
        (None, Some(_)) => {
            let _ = env; // only a file handler needs the storage
            return Err(ConfigError::new(
                "filename",
                "a log file is not in this build (wasm-logging/lite: import wasm-logging for \
                 file handlers)"
                    .to_owned(),
            ));
        }
        #[cfg(feature = "full")]
        (None, Some(name)) => {
            let mode = cfg.filemode.as_deref().unwrap_or("a");
            let (h, open) =
                super::storage_file_handler(env, name, mode, false, None).map_err(|(k, m)| {
                    ConfigError::new(
                        if k == "mode" {
                            "filemode".to_owned()
                        } else {
                            k
                        },
                        m,
                    )
                })?;
            opener = open;
            vec![h]
        }
        (None, None) => vec![Rc::new(ConsoleHandler::new(
            cfg.stream.unwrap_or(Stream::Stderr),
        ))],
    };

    // Everything is valid: now change things.
    if cfg.force {
        for h in root.handlers() {
            root.remove_handler(&h);
            h.close();
        }
    }
    for h in handlers {
        if h.core().formatter().is_none() {
            h.core().set_formatter(Some(formatter.clone()));
        }
        root.add_handler(h);
    }
    if let Some(l) = level {
        root.set_level(l).ok();
    }
    super::run_openers(opener.into_iter().collect());
    Ok(())
}
