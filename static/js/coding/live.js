// Live updates: poll the revision's changes feed about once a second with the
// last ETag (the server answers 304 when nothing changed), and send a presence
// heartbeat every few seconds. Polling pauses while the tab is hidden.

import { request } from "./api.js";

const POLL_MS = 1000;
const HEARTBEAT_MS = 5000;

export class Live {
  // `query` is the feed's query string (the session, if any); `onChanges(data,
  // etag)` and `onPresence(people)` receive what comes back; `onError(error)`
  // hears about failures (the polling goes on).
  constructor({ revision, query, store, onChanges, onPresence, onError }) {
    this.base = `revisions/${revision}/`;
    this.query = query;
    this.store = store;
    this.onChanges = onChanges;
    this.onPresence = onPresence;
    this.onError = onError;
    this.polling = false;
  }

  start() {
    this.loop(() => this.poll(), POLL_MS);
    this.loop(() => this.heartbeat(), HEARTBEAT_MS);
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) this.heartbeat();
    });
  }

  loop(step, delay) {
    const run = async () => {
      if (!document.hidden) await step();
      window.setTimeout(run, delay);
    };
    run();
  }

  async poll() {
    if (this.polling) return;
    this.polling = true;
    try {
      const params = new URLSearchParams(this.query);
      params.set("after", String(this.store.sequence));
      const answer = await request(`${this.base}changes/?${params}`, { etag: this.store.etag });
      if (answer.status === 200) this.onChanges(answer.data, answer.etag);
    } catch (error) {
      this.onError(error);
    } finally {
      this.polling = false;
    }
  }

  async heartbeat() {
    try {
      const answer = await request(`${this.base}presence/`, { method: "POST", body: {} });
      this.onPresence(answer.data.present);
    } catch (error) {
      this.onError(error);
    }
  }
}
