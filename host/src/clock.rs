//! Time for the component: the wall clock it reads through `wasi:clocks`, and the local UTC
//! offset it asks for through `host-info`. Both are the system's by default; tests fix them
//! so output can be compared with CPython's byte for byte.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use wasmtime_wasi::HostWallClock;

/// The local time at an instant, as C's `localtime` gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalTime {
    /// Seconds east of UTC.
    pub utc_offset: i32,
    /// The zone abbreviation.
    pub zone: String,
    /// Whether daylight saving time is in effect.
    pub is_dst: bool,
}

impl LocalTime {
    /// UTC.
    pub fn utc() -> Self {
        LocalTime {
            utc_offset: 0,
            zone: "UTC".to_owned(),
            is_dst: false,
        }
    }
}

/// Where local time comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Zone {
    /// The host's time zone (`TZ`, `/etc/localtime`), through the C library's `localtime_r`:
    /// exactly what CPython's `time.localtime` uses, so both print the same local times.
    #[default]
    System,
    /// The same offset at every instant.
    Fixed(LocalTime),
}

impl Zone {
    /// The local time at `unix_secs`.
    pub fn at(&self, unix_secs: i64) -> LocalTime {
        match self {
            Zone::Fixed(t) => t.clone(),
            Zone::System => system_localtime(unix_secs).unwrap_or_else(LocalTime::utc),
        }
    }
}

fn system_localtime(unix_secs: i64) -> Option<LocalTime> {
    let t = libc::time_t::try_from(unix_secs).ok()?;
    // SAFETY: `tm` is plain data that `localtime_r` fills in completely on success; both
    // pointers are valid for the call, and `tm_zone` (when set) points at a NUL-terminated
    // string owned by the C library that stays valid until the next `tzset`, and is copied
    // before returning.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return None;
        }
        let zone = if tm.tm_zone.is_null() {
            String::new()
        } else {
            std::ffi::CStr::from_ptr(tm.tm_zone)
                .to_string_lossy()
                .into_owned()
        };
        Some(LocalTime {
            utc_offset: i32::try_from(tm.tm_gmtoff).unwrap_or(0),
            zone,
            is_dst: tm.tm_isdst > 0,
        })
    }
}

/// A wall clock that always reads the same instant (nanoseconds since the epoch).
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(pub u64);

impl HostWallClock for FixedClock {
    fn resolution(&self) -> Duration {
        Duration::from_nanos(1)
    }
    fn now(&self) -> Duration {
        Duration::from_nanos(self.0)
    }
}

/// The system's time now, in nanoseconds since the epoch.
pub fn system_now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_zone_is_constant_and_system_zone_answers() {
        let z = Zone::Fixed(LocalTime {
            utc_offset: 3600,
            zone: "CET".into(),
            is_dst: false,
        });
        assert_eq!(z.at(0).utc_offset, 3600);
        assert_eq!(z.at(1_700_000_000).zone, "CET");
        // Whatever the machine's zone, an offset is within a day.
        assert!(Zone::System.at(1_700_000_000).utc_offset.abs() < 86_400);
    }
}
