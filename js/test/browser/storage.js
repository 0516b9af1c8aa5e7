// File handlers over Chromium's real localStorage: a RotatingFileHandler rolls over by UTF-8
// size, and the logs survive a reload (the test loads this page twice).
import init, * as logging from "../../src/web.js";

async function run() {
  await init();
  logging.setFixedTime(1_700_000_000_123, { utcOffset: 0, zone: "UTC" });
  const storage = new logging.LocalStorage("wl-test:");
  logging.setStorage(storage);
  const visit = Number(localStorage.getItem("wl-test-visits") ?? "0") + 1;
  localStorage.setItem("wl-test-visits", String(visit));
  const h = new logging.RotatingFileHandler("ui.log", { maxBytes: 120, backupCount: 2 });
  h.setFormatter(new logging.Formatter("%(asctime)s %(levelname)s %(message)s"));
  const log = logging.getLogger("ui");
  log.addHandler(h);
  log.warning("visit %d: ünïcödé", visit);
  logging.dictConfig({
    version: 1,
    disable_existing_loggers: false,
    handlers: { f: { class: "logging.FileHandler", filename: "configured.log", mode: "w" } },
    loggers: { cfg: { handlers: ["f"], level: "INFO" } },
  });
  logging.getLogger("cfg").info("from dictConfig on visit %d", visit);
  logging.shutdown();
  window.__results = {
    visit,
    names: storage.names(),
    logs: Object.fromEntries(storage.names().map((n) => [n, storage.read(n)])),
    errors: logging.errorCount(),
  };
}

run().catch((e) => {
  window.__results = { failed: String(e && e.stack ? e.stack : e) };
});
