/** Errors the engine raises; hosts map them to API error codes (bad-input, cancelled). */

/** An operation the model cannot apply (model.md: "a script that names an unknown vCPU ..."). */
export class EngineInputError extends Error {
  /** 0-based index of the offending operation in the stream given to the run. */
  readonly opIndex: number;
  constructor(message: string, opIndex: number) {
    super(message);
    this.name = 'EngineInputError';
    this.opIndex = opIndex;
  }
}

/** Thrown out of `simulate` when its `cancelled()` callback answers true; nothing is returned. */
export class EngineCancelled extends Error {
  constructor() {
    super('simulation cancelled');
    this.name = 'EngineCancelled';
  }
}

/** A workload script line that is malformed or invalid for the model. */
export class ScriptError extends Error {
  /** 1-based line number in the script text. */
  readonly line: number;
  readonly reason: string;
  constructor(line: number, reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = 'ScriptError';
    this.line = line;
    this.reason = reason;
  }
}
