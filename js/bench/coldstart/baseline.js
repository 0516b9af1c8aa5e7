// Cold-start baseline: Node itself, printing one line.
console.log("ready 1");
