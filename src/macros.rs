//! Logging macros that check the level before evaluating their arguments and record the
//! caller's file, line and function.

/// The caller's [`Location`](crate::Location): `file!()`, `line!()` and the enclosing
/// function's name.
#[doc(hidden)]
#[macro_export]
macro_rules! __location {
    () => {{
        fn __f() {}
        fn __type_name_of<T>(_: T) -> &'static str {
            ::core::any::type_name::<T>()
        }
        $crate::Location {
            pathname: $crate::Text::Static(::core::file!()),
            lineno: ::core::line!(),
            func_name: $crate::Text::Static($crate::__private::function_name(__type_name_of(__f))),
        }
    }};
}

/// `log!(logger, level, "format %s", args…)`: logs if `logger.is_enabled_for(level)`;
/// arguments are evaluated only then.
#[macro_export]
macro_rules! log {
    ($logger:expr, $level:expr, $msg:expr $(, $arg:expr)* $(,)?) => {{
        let __logger: &$crate::Logger = &$logger;
        let __level: i64 = ::core::convert::Into::<i64>::into($level);
        if __logger.is_enabled_for(__level) {
            __logger.log_at(
                __level,
                ::core::convert::Into::<$crate::Value>::into($msg),
                {
                    #[allow(unused_mut)]
                    let mut __args = $crate::__private::take_values();
                    $(__args.push(::core::convert::Into::<$crate::Value>::into($arg));)*
                    __args
                },
                $crate::LogOptions::default(),
                $crate::__location!(),
            );
        }
    }};
}

/// `debug!(logger, "format %s", args…)`.
#[macro_export]
macro_rules! debug {
    ($logger:expr, $($rest:tt)+) => { $crate::log!($logger, $crate::DEBUG, $($rest)+) };
}

/// `info!(logger, "format %s", args…)`.
#[macro_export]
macro_rules! info {
    ($logger:expr, $($rest:tt)+) => { $crate::log!($logger, $crate::INFO, $($rest)+) };
}

/// `warning!(logger, "format %s", args…)`.
#[macro_export]
macro_rules! warning {
    ($logger:expr, $($rest:tt)+) => { $crate::log!($logger, $crate::WARNING, $($rest)+) };
}

/// `error!(logger, "format %s", args…)`.
#[macro_export]
macro_rules! error {
    ($logger:expr, $($rest:tt)+) => { $crate::log!($logger, $crate::ERROR, $($rest)+) };
}

/// `critical!(logger, "format %s", args…)`.
#[macro_export]
macro_rules! critical {
    ($logger:expr, $($rest:tt)+) => { $crate::log!($logger, $crate::CRITICAL, $($rest)+) };
}
