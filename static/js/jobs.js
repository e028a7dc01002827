// The one job poller: pages that follow job rows (transcript imports, exchanges) read
// them through the API until no job is queued or running (dyads/jobs.py on the server).

const ACTIVE = new Set(["queued", "running"]);

export function isActive(job) {
  return ACTIVE.has(job.state);
}

// The server did not answer at all (offline, restarting): a later read may succeed.
export class Unreachable extends Error {}

const pause = (ms) => new Promise((done) => window.setTimeout(done, ms));

// A JSON request in the user's session; a refusal throws the server's message.
export async function requestJson(url, options = {}) {
  let response;
  try {
    response = await fetch(url, {
      credentials: "same-origin",
      ...options,
      headers: { Accept: "application/json", ...(options.headers ?? {}) },
    });
  } catch (error) {
    throw new Unreachable(error.message);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const message = Object.entries(body)
      .map(([field, text]) => (field === "detail" ? text : `${field}: ${text}`))
      .join(" ");
    throw new Error(message || `The server answered ${response.status}.`);
  }
  return body;
}

// The jobs of an answer: one job, or a page of them.
function jobsOf(body) {
  return Array.isArray(body.results) ? body.results : [body];
}

// Read `url` (one job or a page of jobs) every `every` ms while any job is queued or
// running, and hand each answer's jobs to `show`, the last one too; resolves with them.
// `jobs`: what the page has already (it is shown before the first read).
// `retryUnreachable`: after an unanswered read, wait this long and read again (else throw).
export async function followJobs(url, { every, show = () => {}, jobs = null, retryUnreachable = 0 }) {
  let current = jobs;
  for (;;) {
    if (current === null) {
      try {
        current = jobsOf(await requestJson(url));
      } catch (error) {
        if (!(error instanceof Unreachable && retryUnreachable)) throw error;
        await pause(retryUnreachable);
        continue;
      }
    }
    show(current);
    if (!current.some(isActive)) return current;
    await pause(every);
    current = null;
  }
}
