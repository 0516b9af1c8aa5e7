// Cold start: import LogTape, configure a console sink, one line.
import { configureSync, getConsoleSink, getLogger } from "@logtape/logtape";

configureSync({
  sinks: { console: getConsoleSink() },
  loggers: [
    { category: ["app"], lowestLevel: "info", sinks: ["console"] },
    { category: ["logtape", "meta"], lowestLevel: "warning", sinks: [] },
  ],
});
getLogger(["app"]).info("ready {i}", { i: 1 });
