//! Native threads: workers log into the configured hierarchy through a `ThreadQueue`; the
//! records keep the worker's thread name and arrive in each worker's order; a full queue drops
//! the oldest and says so.
// Native only: real sockets, processes and threads (`wasm-pack test` builds every test).
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use wasm_logging::threads::{ThreadQueue, ThreadQueueHandler};
use wasm_logging::{ConsoleHandler, Formatter, Handler, Manager, MemoryConsole, Stream, DEBUG};

#[test]
fn worker_threads_log_into_the_configured_hierarchy_through_a_thread_queue() {
    let manager = Manager::new();
    let console = Rc::new(MemoryConsole::new());
    let h = Rc::new(ConsoleHandler::with_sink(Stream::Stdout, console.clone()));
    h.core().set_formatter(Some(Rc::new(
        Formatter::new("%(threadName)s %(name)s %(levelname)s %(message)s").unwrap(),
    )));
    manager.root().add_handler(h);
    manager.root().set_level(DEBUG).unwrap();
    let queue = ThreadQueue::new(1000);
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let q = queue.clone();
            std::thread::Builder::new()
                .name(format!("worker-{w}"))
                .spawn(move || {
                    let m = Manager::new();
                    m.root().set_level(DEBUG).unwrap();
                    m.root().add_handler(Rc::new(ThreadQueueHandler::new(q)));
                    // The worker's identity, as a host would set it.
                    wasm_logging::host::set_identity(wasm_logging::host::Identity {
                        thread_name: Some(format!("worker-{w}").into()),
                        ..Default::default()
                    });
                    for i in 0..25 {
                        m.get_logger(&format!("app.w{w}")).debug("step %d", (i,));
                    }
                })
                .unwrap()
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(queue.pump_into(&manager), 100);
    let text = console.text(Stream::Stdout);
    for w in 0..4 {
        let mine: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with(&format!("worker-{w} ")))
            .collect();
        let want: Vec<String> = (0..25)
            .map(|i| format!("worker-{w} app.w{w} DEBUG step {i}"))
            .collect();
        assert_eq!(mine, want);
    }
}

#[test]
fn a_full_thread_queue_drops_the_oldest_and_counts_them() {
    let queue = ThreadQueue::new(3);
    let q = queue.clone();
    std::thread::spawn(move || {
        let m = Manager::new();
        m.root().add_handler(Rc::new(ThreadQueueHandler::new(q)));
        for i in 0..5 {
            m.root().warning("w%d", (i,));
        }
    })
    .join()
    .unwrap();
    assert_eq!(queue.len(), 3);
    assert_eq!(queue.dropped(), 2);
    let manager = Manager::new();
    let console = Rc::new(MemoryConsole::new());
    manager
        .root()
        .add_handler(Rc::new(ConsoleHandler::with_sink(
            Stream::Stdout,
            console.clone(),
        )));
    queue.pump_into(&manager);
    assert_eq!(console.text(Stream::Stdout), "w2\nw3\nw4\n");
}
