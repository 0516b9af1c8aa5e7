// A module Worker logging through BrowserRemote (loaded by transports.js with mode=worker):
// logs `n` records and tells the page, which the test then closes at once.
import { setup, logMany } from "./transports-setup.js";

const q = new URLSearchParams(location.search);
const { logging, remote } = setup({
  kind: q.get("kind") ?? "http",
  collector: q.get("collector"),
  capacity: Number(q.get("capacity") ?? 10),
});
logMany(logging, Number(q.get("n") ?? 20));
if (q.has("flush")) await logging.flushAsync({ timeout: 10_000 });
postMessage({ logged: true, pending: logging.remotePending(), stats: remote.stats });
