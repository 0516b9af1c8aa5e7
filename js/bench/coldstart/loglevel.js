// Cold start: import loglevel, one line (console.info goes to stdout in Node).
import log from "loglevel";

const l = log.getLogger("app");
l.setLevel("info");
l.info("ready %d", 1);
