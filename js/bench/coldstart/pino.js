// Cold start: import pino, one line to stdout (pino's default destination).
import pino from "pino";

pino({ name: "app" }).info("ready %d", 1);
