// What TypeScript --strict users write beyond the README's examples: configurations held in
// variables (no literal-type annotations), typed level lookups, a typed Handler subclass.
import * as logging from "wasm-logging";

const config = {
  version: 1,
  disable_existing_loggers: false,
  formatters: { brief: { format: "%(levelname)s %(message)s" } },
  handlers: { console: { class: "logging.StreamHandler", formatter: "brief" } },
  root: { level: "INFO", handlers: ["console"] },
};
logging.dictConfig(config);

const options = { level: "DEBUG", style: "{", format: "{levelname} {message}", filemode: "w" };
logging.basicConfig(options);

const warning: number = logging.getLevelName("WARNING");
const name: string = logging.getLevelName(30);
const either: number | string = logging.getLevelName("VERBOSE" as string);

class Collect extends logging.Handler {
  readonly seen: number[] = [];
  emit(record: logging.LogRecord): void {
    this.seen.push(record.levelno);
  }
}
const collect = new Collect();
logging.getLogger("typed").addHandler(collect);
logging.registerFactory("typed.maker", ({ level }) => {
  const threshold = logging.getLevelName(level);
  return (record: logging.LogRecord) => record.levelno >= threshold;
});
export { warning, name, either };
