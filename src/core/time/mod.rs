//! TEMPORARY STAND-IN (replaced by the real implementation; not committed).
#![allow(missing_docs, clippy::all)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalOffset {
    pub utc_offset: i32,
    pub zone: String,
    pub is_dst: i32,
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenDownTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub weekday: u32,
    pub yearday: u32,
    pub is_dst: i32,
    pub utc_offset: i32,
    pub zone: String,
}
pub fn gmtime(s: i64) -> BrokenDownTime {
    localtime(
        s,
        &LocalOffset {
            utc_offset: 0,
            zone: "GMT".into(),
            is_dst: 0,
        },
    )
}
pub fn localtime(s: i64, o: &LocalOffset) -> BrokenDownTime {
    let t = s + o.utc_offset as i64;
    let days = t.div_euclid(86400);
    let sod = t.rem_euclid(86400);
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    BrokenDownTime {
        year: if m <= 2 { y + 1 } else { y },
        month: m as u32,
        day: d as u32,
        hour: (sod / 3600) as u32,
        minute: (sod / 60 % 60) as u32,
        second: (sod % 60) as u32,
        weekday: (days + 4).rem_euclid(7) as u32,
        yearday: 0,
        is_dst: o.is_dst,
        utc_offset: o.utc_offset,
        zone: o.zone.clone(),
    }
}
pub fn strftime(fmt: &str, tm: &BrokenDownTime, out: &mut String) {
    let mut it = fmt.chars();
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('Y') => out.push_str(&format!("{:04}", tm.year)),
            Some('m') => out.push_str(&format!("{:02}", tm.month)),
            Some('d') => out.push_str(&format!("{:02}", tm.day)),
            Some('H') => out.push_str(&format!("{:02}", tm.hour)),
            Some('M') => out.push_str(&format!("{:02}", tm.minute)),
            Some('S') => out.push_str(&format!("{:02}", tm.second)),
            Some(o) => {
                out.push('%');
                out.push(o)
            }
            None => out.push('%'),
        }
    }
}
