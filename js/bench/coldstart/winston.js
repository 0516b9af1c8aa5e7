// Cold start: import winston, a Console transport, one line.
import winston from "winston";

const logger = winston.createLogger({
  level: "info",
  format: winston.format.combine(winston.format.timestamp(), winston.format.splat(), winston.format.simple()),
  transports: [new winston.transports.Console()],
});
logger.info("ready %d", 1);
