//! The run loop: pick a corpus entry, mutate it, run the target under `catch_unwind`, time it
//! and weigh its memory, keep what is new, save what failed.

use std::collections::{HashMap, HashSet};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::alloc;
use crate::mutate::{mutate, JsonMutator, Rng};

/// One parser under test.
pub struct Target {
    /// The name used on the command line and for `artifacts/<name>/`.
    pub name: &'static str,
    /// What the driver feeds the parser, in one line.
    pub about: &'static str,
    /// The starting corpus.
    pub seeds: fn() -> Vec<Vec<u8>>,
    /// Tokens the mutator inserts.
    pub dictionary: &'static [&'static [u8]],
    /// Runs one input. Returns a signature of the outcome (which error, what size of
    /// output): an input with a signature not seen before joins the corpus.
    pub run: fn(&[u8]) -> u64,
    /// The longest input generated.
    pub max_len: usize,
    /// Inputs are JSON: half the mutations edit the parsed tree ([`JsonMutator`]).
    pub json: bool,
}

/// How long and how hard to fuzz.
#[derive(Clone, Debug)]
pub struct Options {
    /// Executions to run (seeds included).
    pub execs: u64,
    /// The random seed: the same seed gives the same inputs.
    pub seed: u64,
    /// An input running longer than this is a hang: saved, and the process stops.
    pub timeout: Duration,
    /// An input using more CPU time than this is slow: saved and counted.
    pub slow: Duration,
    /// An input whose peak memory passes this is heavy: saved and counted with the slow ones.
    pub heavy_bytes: usize,
    /// A single allocation above this stops the process (the input saved as `oom-*`).
    pub malloc_limit: usize,
    /// Where crashing, hanging, heavy and slow inputs go (`<dir>/<target>/`); `None`: nowhere.
    pub artifacts: Option<PathBuf>,
    /// Print progress lines every this many seconds (0: never).
    pub progress_secs: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            execs: 100_000,
            seed: 1,
            timeout: Duration::from_secs(10),
            slow: Duration::from_millis(100),
            heavy_bytes: 256 << 20,
            malloc_limit: 1 << 30,
            artifacts: None,
            progress_secs: 0,
        }
    }
}

/// One panic, with the first input that caused it.
#[derive(Clone, Debug)]
pub struct Panic {
    /// `file:line:col: message`.
    pub what: String,
    /// The input.
    pub input: Vec<u8>,
    /// How many inputs panicked there.
    pub count: u64,
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// The target's name.
    pub target: String,
    /// Inputs run.
    pub execs: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// Inputs that panicked.
    pub panics: u64,
    /// Distinct panics (by location and message), each with its first input.
    pub unique_panics: Vec<Panic>,
    /// Inputs slower (in CPU time) than the slow bound or heavier than the memory bound.
    pub slow: u64,
    /// The slowest input's CPU time.
    pub slowest: Duration,
    /// The largest peak of live memory any input reached, in bytes above the baseline.
    pub heaviest: usize,
    /// Corpus size at the end.
    pub corpus: usize,
    /// Distinct outcome signatures seen.
    pub outcomes: usize,
}

impl Report {
    /// Executions per second.
    pub fn execs_per_sec(&self) -> f64 {
        self.execs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The final line: `fuzz format: 10000000 execs in 61.2 s (163,000/s), 0 panics, 0 slow …`.
    pub fn line(&self) -> String {
        format!(
            "fuzz {}: {} execs in {:.1} s ({}/s), {} panics ({} unique), {} slow or heavy inputs (slowest {:.1} ms, heaviest {:.1} MB), corpus {}, outcomes {}",
            self.target,
            self.execs,
            self.elapsed.as_secs_f64(),
            thousands(self.execs_per_sec() as u64),
            self.panics,
            self.unique_panics.len(),
            self.slow,
            self.slowest.as_secs_f64() * 1e3,
            self.heaviest as f64 / 1e6,
            self.corpus,
            self.outcomes,
        )
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// FNV-1a: names artifacts and signatures (stable across runs and platforms).
pub fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A signature for an outcome message: its leading words, up to the first character an
/// input fills in (a quote, a digit, a colon), so "index 3" and "index 7", or two missing
/// keys, are one outcome and the corpus does not fill up with noise.
pub fn message_signature(msg: &str) -> u64 {
    let words: Vec<u8> = msg
        .bytes()
        .take_while(|b| b.is_ascii_alphabetic() || *b == b' ' || *b == b'-')
        .take(48)
        .collect();
    hash(&words)
}

/// The size class of an output length (0, 1-15, 16-255, …), to mix into a signature.
pub fn size_class(len: usize) -> u64 {
    u64::from(usize::BITS - len.leading_zeros()) / 4
}

// What the watchdog and the allocator's hook need to save the input being run.
struct Current {
    input: Mutex<Vec<u8>>,
    dir: Mutex<Option<PathBuf>>,
    started_ns: AtomicU64,
    running: AtomicBool,
}

fn current() -> &'static Current {
    static CURRENT: OnceLock<Current> = OnceLock::new();
    CURRENT.get_or_init(|| Current {
        input: Mutex::new(Vec::new()),
        dir: Mutex::new(None),
        started_ns: AtomicU64::new(0),
        running: AtomicBool::new(false),
    })
}

/// CPU time of the calling thread: what an input cost, whatever else the machine runs (wall
/// time on a shared, busy machine calls an input slow because it was preempted).
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec to write to.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn save_current(kind: &str) -> Option<PathBuf> {
    ALREADY_SAVED.store(true, Ordering::Relaxed);
    let input = current().input.try_lock().ok()?.clone();
    let dir = current().dir.try_lock().ok()?.clone()?;
    save(&dir, kind, &input)
}

/// Saves `input` as `<dir>/<kind>-<hash>` and returns the path.
pub fn save(dir: &Path, kind: &str, input: &[u8]) -> Option<PathBuf> {
    std::fs::create_dir_all(dir).ok()?;
    let path = dir.join(format!("{kind}-{:016x}", hash(input)));
    std::fs::write(&path, input).ok()?;
    Some(path)
}

// The input being run, for the SIGABRT handler: a fixed buffer it can read without taking
// a lock or allocating (a stack overflow aborts the process from inside the overflowing
// thread, so the Mutex above may be held). Written only by the run loop's thread.
const ABORT_BUF: usize = 1 << 16;
static ABORT_INPUT: [AtomicU8; ABORT_BUF] = [const { AtomicU8::new(0) }; ABORT_BUF];
static ABORT_LEN: AtomicUsize = AtomicUsize::new(0);
// `<artifacts>/<target>/abort-` as bytes, set before the first input runs.
static ABORT_PREFIX: OnceLock<Vec<u8>> = OnceLock::new();

fn remember_for_abort(input: &[u8]) {
    let n = input.len().min(ABORT_BUF);
    for (slot, b) in ABORT_INPUT.iter().zip(&input[..n]) {
        slot.store(*b, Ordering::Relaxed);
    }
    ABORT_LEN.store(n, Ordering::Relaxed);
}

// Set when the watchdog or the allocator's hook has saved the input and is about to abort.
static ALREADY_SAVED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_abort(_sig: libc::c_int) {
    // Only async-signal-safe calls: open, write, close, on stack buffers.
    if ALREADY_SAVED.load(Ordering::Relaxed) {
        return;
    }
    let Some(prefix) = ABORT_PREFIX.get() else {
        return;
    };
    let n = ABORT_LEN.load(Ordering::Relaxed);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut data = [0u8; 128];
    let mut path = [0u8; 512];
    if prefix.len() + 17 > path.len() {
        return;
    }
    for slot in ABORT_INPUT.iter().take(n) {
        h ^= u64::from(slot.load(Ordering::Relaxed));
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    path[..prefix.len()].copy_from_slice(prefix);
    for i in 0..16 {
        let d = ((h >> (60 - 4 * i)) & 0xf) as u8;
        path[prefix.len() + i] = if d < 10 { b'0' + d } else { b'a' + d - 10 };
    }
    // SAFETY: `path` is NUL-terminated (the byte after the hash is 0); `data` is a valid
    // buffer of the length passed; the descriptor is ours.
    unsafe {
        let fd = libc::open(
            path.as_ptr().cast(),
            libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC,
            0o644,
        );
        if fd >= 0 {
            let mut done = 0;
            while done < n {
                let k = (n - done).min(data.len());
                for (j, d) in data.iter_mut().enumerate().take(k) {
                    *d = ABORT_INPUT[done + j].load(Ordering::Relaxed);
                }
                libc::write(fd, data.as_ptr().cast(), k);
                done += k;
            }
            libc::close(fd);
            let msg = b"fuzz: the process aborted (a stack overflow?); the input is saved as ";
            libc::write(2, msg.as_ptr().cast(), msg.len());
            libc::write(2, path.as_ptr().cast(), prefix.len() + 16);
            libc::write(2, b"\n".as_ptr().cast(), 1);
        }
    }
}

fn install_abort_handler(dir: Option<&Path>) {
    let Some(dir) = dir else {
        return;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let mut prefix = dir.as_os_str().as_encoded_bytes().to_vec();
    prefix.extend_from_slice(b"/abort-");
    if ABORT_PREFIX.set(prefix).is_ok() {
        // SAFETY: installs a handler that only makes async-signal-safe calls.
        unsafe {
            libc::signal(libc::SIGABRT, on_abort as *const () as libc::sighandler_t);
        }
    }
}

fn on_over_limit(size: usize) {
    let saved = save_current("oom");
    eprintln!(
        "fuzz: an input asked for one allocation of {size} bytes (the limit is set by --malloc-limit-mb); input saved to {}",
        saved.map_or_else(|| "nowhere".to_owned(), |p| p.display().to_string())
    );
}

fn start_watchdog(timeout: Duration) {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let spawned = std::thread::Builder::new()
            .name("fuzz watchdog".into())
            .spawn(move || loop {
                std::thread::sleep(Duration::from_millis(200));
                let c = current();
                if !c.running.load(Ordering::Relaxed) {
                    continue;
                }
                let now = epoch().elapsed().as_nanos() as u64;
                let started = c.started_ns.load(Ordering::Relaxed);
                if now.saturating_sub(started) > timeout.as_nanos() as u64
                    && c.running.load(Ordering::Relaxed)
                {
                    let saved = save_current("hang");
                    eprintln!(
                        "fuzz: an input has run for more than {:.1} s; input saved to {}",
                        timeout.as_secs_f64(),
                        saved.map_or_else(|| "nowhere".to_owned(), |p| p.display().to_string())
                    );
                    std::process::abort();
                }
            });
        // Without a watchdog a hang is still a hang, just not saved: carry on.
        let _ = spawned;
    });
}

thread_local! {
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Replaces the panic hook with one that records the panic (location and message) for the
/// engine instead of printing it; the engine prints each distinct panic once.
fn quiet_panics() {
    static SET: OnceLock<()> = OnceLock::new();
    SET.get_or_init(|| {
        panic::set_hook(Box::new(|info| {
            let msg = if let Some(s) = info.payload().downcast_ref::<&str>() {
                (*s).to_owned()
            } else if let Some(s) = info.payload().downcast_ref::<String>() {
                s.clone()
            } else {
                "(non-string panic payload)".to_owned()
            };
            let at = info.location().map_or_else(String::new, |l| {
                format!("{}:{}:{}", l.file(), l.line(), l.column())
            });
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{at}: {msg}")));
        }));
    });
}

/// Runs `target` once on `input`: `Ok(signature)` or `Err(panic description)`.
pub fn run_one(target: &Target, input: &[u8]) -> Result<u64, String> {
    quiet_panics();
    match panic::catch_unwind(AssertUnwindSafe(|| (target.run)(input))) {
        Ok(sig) => Ok(sig),
        Err(_) => Err(LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| "panic".to_owned())),
    }
}

/// Fuzzes `target` for `opts.execs` executions (the seeds first).
pub fn fuzz(target: &Target, opts: &Options) -> Report {
    quiet_panics();
    alloc::set_over_limit_hook(on_over_limit);
    alloc::set_limit(opts.malloc_limit);
    start_watchdog(opts.timeout);
    let dir = opts.artifacts.as_ref().map(|d| d.join(target.name));
    if let Ok(mut d) = current().dir.lock() {
        d.clone_from(&dir);
    }
    if let Ok(mut c) = current().input.lock() {
        c.reserve(target.max_len * 2 + 64);
    }
    install_abort_handler(dir.as_deref());

    let mut rng = Rng::new(opts.seed ^ hash(target.name.as_bytes()));
    let json = target.json.then(|| JsonMutator::new(target.dictionary));
    let seeds: Vec<Vec<u8>> = (target.seeds)()
        .into_iter()
        .map(|mut s| {
            s.truncate(target.max_len);
            s
        })
        .collect();
    let mut corpus: Vec<Vec<u8>> = seeds.clone();
    if corpus.is_empty() {
        corpus.push(Vec::new());
    }
    const CORPUS_CAP: usize = 4096;
    // A parent costs little: typical inputs take microseconds, and a corpus of
    // millisecond inputs (wide fields, big expansions) would run at a tenth of the speed.
    const PARENT_CPU: Duration = Duration::from_micros(500);
    const PARENT_BYTES: usize = 8 << 20;
    let mut outcomes: HashSet<u64> = HashSet::new();
    let mut panics: HashMap<String, Panic> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut report = Report {
        target: target.name.to_owned(),
        ..Report::default()
    };
    let mut saved_slow = 0u32;
    let start = Instant::now();
    let mut last_progress = Instant::now();
    let mut input: Vec<u8> = Vec::with_capacity(target.max_len * 2 + 64);

    while report.execs < opts.execs {
        let i = report.execs as usize;
        input.clear();
        if i < seeds.len() {
            input.extend_from_slice(&seeds[i]);
        } else {
            let parent: &Vec<u8> = rng.pick(&corpus);
            input.extend_from_slice(parent);
            let structured = match &json {
                Some(j) if rng.one_in(2) => j.mutate(&mut input, &mut rng, target.max_len),
                _ => false,
            };
            if !structured {
                mutate(
                    &mut input,
                    &mut rng,
                    target.dictionary,
                    &corpus,
                    target.max_len,
                );
            }
        }
        if let Ok(mut c) = current().input.lock() {
            c.clear();
            c.extend_from_slice(&input);
        }
        remember_for_abort(&input);
        let base = alloc::live();
        alloc::reset_peak();
        let t0 = thread_cpu_time();
        current()
            .started_ns
            .store(epoch().elapsed().as_nanos() as u64, Ordering::Relaxed);
        current().running.store(true, Ordering::Relaxed);
        let result = run_one(target, &input);
        current().running.store(false, Ordering::Relaxed);
        let took = thread_cpu_time().saturating_sub(t0);
        let heavy = alloc::peak().saturating_sub(base);
        report.execs += 1;
        report.slowest = report.slowest.max(took);
        report.heaviest = report.heaviest.max(heavy);
        if took > opts.slow || heavy > opts.heavy_bytes {
            report.slow += 1;
            if saved_slow < 20 {
                saved_slow += 1;
                let kind = if heavy > opts.heavy_bytes {
                    "heavy"
                } else {
                    "slow"
                };
                let path = dir.as_deref().and_then(|d| save(d, kind, &input));
                eprintln!(
                    "fuzz {}: {kind} input ({:.1} ms, {:.1} MB){}",
                    target.name,
                    took.as_secs_f64() * 1e3,
                    heavy as f64 / 1e6,
                    path.map_or_else(String::new, |p| format!(": {}", p.display()))
                );
            }
        }
        match result {
            // A slow or heavy input never becomes a parent: its children would be slow too,
            // and the run would spend its time on one known cost (see docs/fuzzing.md).
            Ok(sig) => {
                if outcomes.insert(sig) && took <= PARENT_CPU && heavy <= PARENT_BYTES {
                    if corpus.len() < CORPUS_CAP {
                        corpus.push(input.clone());
                    } else {
                        // Full: a new outcome replaces a random entry past the seeds.
                        let at = seeds.len() + rng.below(CORPUS_CAP - seeds.len().min(CORPUS_CAP));
                        if let Some(slot) = corpus.get_mut(at) {
                            slot.clone_from(&input);
                        }
                    }
                }
            }
            Err(what) => {
                report.panics += 1;
                let entry = panics.entry(what.clone()).or_insert_with(|| {
                    let path = dir.as_deref().and_then(|d| save(d, "crash", &input));
                    eprintln!(
                        "fuzz {}: PANIC {what}{}",
                        target.name,
                        path.map_or_else(String::new, |p| format!(
                            "; input saved to {}",
                            p.display()
                        ))
                    );
                    order.push(what.clone());
                    Panic {
                        what,
                        input: input.clone(),
                        count: 0,
                    }
                });
                entry.count += 1;
            }
        }
        if opts.progress_secs > 0
            && report.execs % 1024 == 0
            && last_progress.elapsed().as_secs() >= opts.progress_secs
        {
            last_progress = Instant::now();
            let el = start.elapsed().as_secs_f64();
            eprintln!(
                "fuzz {}: {} execs, {}/s, {} panics, corpus {}",
                target.name,
                thousands(report.execs),
                thousands((report.execs as f64 / el) as u64),
                report.panics,
                corpus.len()
            );
        }
    }
    report.elapsed = start.elapsed();
    report.corpus = corpus.len();
    report.outcomes = outcomes.len();
    report.unique_panics = order
        .into_iter()
        .filter_map(|k| panics.remove(&k))
        .collect();
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explodes(data: &[u8]) -> u64 {
        if data.windows(2).any(|w| w == b"!!") {
            panic!("two bangs");
        }
        data.len() as u64
    }

    #[test]
    fn panics_are_caught_counted_and_kept_with_their_input() {
        let t = Target {
            name: "bangs",
            about: "a target that panics on `!!`",
            seeds: || vec![b"hello !".to_vec()],
            dictionary: &[b"!"],
            run: explodes,
            max_len: 32,
            json: false,
        };
        let r = fuzz(
            &t,
            &Options {
                execs: 5_000,
                ..Options::default()
            },
        );
        assert_eq!(r.execs, 5_000);
        assert!(r.panics > 0);
        assert_eq!(r.unique_panics.len(), 1);
        assert!(r.unique_panics[0].what.contains("two bangs"), "{r:?}");
        assert!(r.unique_panics[0].input.windows(2).any(|w| w == b"!!"));
        assert!(run_one(&t, &r.unique_panics[0].input).is_err());
        assert_eq!(run_one(&t, b"ok"), Ok(2));
    }

    #[test]
    fn signatures_ignore_numbers_and_quoted_text() {
        assert_eq!(
            message_signature("unsupported format character 'q' (0x71) at index 3"),
            message_signature("unsupported format character 'z' (0x7a) at index 12")
        );
        assert_eq!(
            message_signature("Formatting field not found in record: 'a'"),
            message_signature("Formatting field not found in record: 'it''s'")
        );
        assert_ne!(
            message_signature("width too big"),
            message_signature("precision too big")
        );
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(12), "12");
    }
}
