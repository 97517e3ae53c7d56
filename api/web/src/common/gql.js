// The pages' one way to the ledger: the public GraphQL API, over HTTP for queries and
// mutations and over graphql-transport-ws for subscriptions. Same origin only.
import { createClient } from "graphql-ws";

export class ApiError extends Error {
  constructor(message, code, field, status) {
    super(message);
    this.code = code || "";
    this.field = field || null;
    this.status = status || 0;
  }
}

function firstError(errors, status) {
  const error = errors[0];
  const extensions = error.extensions || {};
  return new ApiError(error.message, extensions.code, extensions.field, status);
}

// `position` (optional): the log position of the caller's last write (a MutationSuccess's
// `position`); the answer then includes it (read your own writes, X-Ledger-Position).
export async function request(token, query, variables = {}, position = 0) {
  const headers = { "Content-Type": "application/json", Authorization: `Bearer ${token}` };
  if (position) headers["X-Ledger-Position"] = String(position);
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
    });
  } catch (failure) {
    throw new ApiError("无法连接服务", "NETWORK", null, 0);
  }
  let body;
  try {
    body = await response.json();
  } catch (failure) {
    throw new ApiError(`服务返回了无法读取的应答（HTTP ${response.status}）`, "BAD_RESPONSE", null, response.status);
  }
  if (body.errors && body.errors.length) throw firstError(body.errors, response.status);
  return body.data;
}

function socketUrl() {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}/graphql`;
}

// One connection per page, reconnecting by itself for as long as the page is open: after
// a restart of the service each subscription starts again and its first message is the
// view as it stands, so nothing that happened meanwhile is missed.
export function liveClient(token, onStatus = () => {}) {
  return createClient({
    url: socketUrl(),
    connectionParams: () => ({ authorization: `Bearer ${token}` }),
    lazy: false,
    keepAlive: 10000,
    retryAttempts: Number.MAX_SAFE_INTEGER,
    // a refused token (4403) is not retried: the page says so and asks for another
    shouldRetry: (event) => !(event && event.code === 4403),
    retryWait: async (retries) => {
      const seconds = Math.min(1 + retries, 5);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000 * (0.5 + Math.random() / 2)));
    },
    on: {
      connecting: () => onStatus("connecting"),
      connected: () => onStatus("connected"),
      closed: (event) => onStatus(event && event.code === 4403 ? "refused" : "closed"),
      error: () => onStatus("closed"),
    },
  });
}

export function follow(client, query, variables, onData, onError = () => {}) {
  return client.subscribe(
    { query, variables },
    {
      next: (message) => {
        if (message.errors && message.errors.length) onError(firstError(message.errors, 0));
        else if (message.data) onData(message.data);
      },
      error: (error) => onError(error instanceof Error ? error : new ApiError(String((error && error.reason) || "连接中断"), "SOCKET")),
      complete: () => {},
    },
  );
}
