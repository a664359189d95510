import { useEffect, useRef, useState } from "react";
import { readEvents, type ServerEvent } from "./events";

/** Events after which a job's stream has nothing more to say. */
export const FINAL_EVENTS = new Set(["completed", "failed", "cancelled"]);

/**
 * Follows a job's event stream while `active`, handing each event to `onEvent`. A dropped
 * connection is picked up again after a pause until a final event (completed, failed, cancelled)
 * has arrived; the servers replay what a job did so far, so nothing is missed. Returns why the
 * stream is broken, or null while it works.
 */
export function useEventStream(
  path: string,
  active: boolean,
  onEvent: (event: ServerEvent) => void,
): string | null {
  const [streamError, setStreamError] = useState<string | null>(null);
  // The latest handler, without restarting the stream each time the caller renders.
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });

  useEffect(() => {
    if (!active) return;
    const abort = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    let finished = false;
    const follow = () => {
      readEvents(
        path,
        (event) => {
          setStreamError(null);
          if (FINAL_EVENTS.has(event.event)) finished = true;
          handler.current(event);
        },
        abort.signal,
      )
        .catch((e: unknown) => {
          if (!abort.signal.aborted) setStreamError(e instanceof Error ? e.message : String(e));
        })
        .finally(() => {
          if (!finished && !abort.signal.aborted) retry = setTimeout(follow, 2000);
        });
    };
    follow();
    return () => {
      abort.abort();
      clearTimeout(retry);
    };
  }, [path, active]);

  return streamError;
}
