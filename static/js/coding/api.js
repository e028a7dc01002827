// Requests to Duet's API with the page's session: JSON in and out, the CSRF
// token on every write, and errors turned into messages that name the field.

const API_ROOT = "/api/v1/";

function csrfToken() {
  const cookie = document.cookie.split("; ").find((item) => item.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
  // With CSRF_COOKIE_HTTPONLY the token is only in the page's forms.
  return document.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";
}

function describe(body) {
  if (!body || typeof body !== "object") return "";
  return Object.entries(body)
    .filter(([field]) => field !== "current")
    .map(([field, problem]) => {
      const text = Array.isArray(problem) ? problem.join(" ") : String(problem);
      return field === "detail" || field === "non_field_errors" ? text : `${field}: ${text}`;
    })
    .join(" ");
}

export class ApiError extends Error {
  constructor(status, body) {
    super(describe(body) || `The server answered ${status}.`);
    this.status = status;
    this.body = body;
  }
}

// `request("codings/", {method: "POST", body: {...}})` → {status, etag, data}.
// A 304 (with `etag` sent as If-None-Match) comes back with data null.
export async function request(path, { method = "GET", body, etag } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  if (etag) headers["If-None-Match"] = etag;
  const response = await fetch(API_ROOT + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
    cache: "no-store",
  });
  const hasBody = response.status !== 204 && response.status !== 304;
  const data = hasBody ? await response.json().catch(() => null) : null;
  if (!response.ok && response.status !== 304) throw new ApiError(response.status, data);
  return { status: response.status, etag: response.headers.get("ETag"), data };
}
