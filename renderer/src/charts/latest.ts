/**
 * "Latest wins" request scheduling for drags: at most one request in flight; while it runs, only
 * the newest arguments are kept and sent when it returns. Results of superseded calls are dropped.
 */
export function latestOnly<A, R>(
  fn: (args: A) => Promise<R>,
  onResult: (r: R, args: A) => void,
  onError: (e: unknown, args: A) => void,
): (args: A) => void {
  let inFlight = false;
  let pending: { args: A } | null = null;
  let seq = 0;
  const run = (args: A) => {
    inFlight = true;
    const my = ++seq;
    fn(args)
      .then((r) => {
        if (my === seq && !pending) onResult(r, args);
      })
      .catch((e) => {
        if (my === seq && !pending) onError(e, args);
      })
      .finally(() => {
        inFlight = false;
        if (pending) {
          const p = pending;
          pending = null;
          run(p.args);
        }
      });
  };
  return (args: A) => {
    if (inFlight) pending = { args };
    else run(args);
  };
}
