// Node's storage: logs are files, names are paths (relative ones under a directory, the
// working directory by default, as CPython's FileHandler resolves them). Node only: the Node
// entry imports it; browser bundles never see `node:fs`.

import fs from "node:fs";
import path from "node:path";

/**
 * Files under `dir` (default: the working directory at construction). Appends are
 * unbuffered `writeSync`s on a descriptor kept open per log, so a crash loses no record;
 * `close()` closes the descriptors (done on rename, remove and truncate of a log).
 */
export class NodeFileStorage {
  constructor(dir = process.cwd()) {
    /** The directory relative names resolve against. */
    this.dir = path.resolve(String(dir));
    /** @type {Map<string, number>} */
    this._fds = new Map();
  }

  /** The path of the log `name`. */
  path(name) {
    return path.resolve(this.dir, name);
  }

  /** The files in the folder `dir` ("" for this storage's directory), named as the other
   * methods take them (`dir/name`): what TimedRotatingFileHandler's backupCount needs. */
  list(dir) {
    const d = String(dir ?? "");
    const prefix = d === "" ? "" : `${d.replace(/\/+$/, "")}/`;
    return fs
      .readdirSync(this.path(d === "" ? "." : d), { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => prefix + e.name)
      .sort();
  }

  _closeFd(name) {
    const fd = this._fds.get(name);
    if (fd !== undefined) {
      this._fds.delete(name);
      fs.closeSync(fd);
    }
  }

  append(name, bytes) {
    let fd = this._fds.get(name);
    if (fd === undefined) {
      fd = fs.openSync(this.path(name), "a");
      this._fds.set(name, fd);
    }
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
  }

  size(name) {
    try {
      return fs.statSync(this.path(name)).size;
    } catch (e) {
      // Missing, but creatable only if its directory exists (CPython's FileHandler fails to
      // open "nodir/app.log" at configuration time).
      if (e.code === "ENOENT" && fs.existsSync(path.dirname(this.path(name)))) return null;
      throw e;
    }
  }

  rename(from, to) {
    this._closeFd(from);
    this._closeFd(to);
    fs.renameSync(this.path(from), this.path(to));
  }

  remove(name) {
    this._closeFd(name);
    fs.rmSync(this.path(name), { force: true });
  }

  read(name) {
    try {
      return fs.readFileSync(this.path(name));
    } catch (e) {
      if (e.code === "ENOENT") return null;
      throw e;
    }
  }

  truncate(name) {
    this._closeFd(name);
    fs.writeFileSync(this.path(name), "");
  }

  /** Closes every open descriptor (later appends reopen). */
  close() {
    for (const name of [...this._fds.keys()]) this._closeFd(name);
  }
}
//# sourceMappingURL=nodestorage.js.map
