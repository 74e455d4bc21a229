// Calls to the service's JSON API, shared by the pages: one error type whose message is the
// service's Chinese `detail`, and a client that sends the staff token kept in sessionStorage.

const NO_CONNECTION = "无法连接服务，请检查网络后重试";
const TOKEN_REFUSED = "令牌无效，请重新登录";

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

function detailOf(data) { return typeof data.detail === "string" ? data.detail : ""; }

function refused(response, data) {
  return new ApiError(response.status, detailOf(data) || "请求未成功（" + response.status + "），请稍后再试");
}

async function send(path, { method = "GET", body, signal, headers = {} } = {}) {
  const sent = { ...headers };
  if (body !== undefined) sent["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers: sent, signal, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, NO_CONNECTION);
  }
  return { response, data: await response.json().catch(() => ({})) };
}

/** The JSON answer to one request; an ApiError when the service cannot be reached or refuses. */
export async function request(path, options) {
  const { response, data } = await send(path, options);
  if (!response.ok) throw refused(response, data);
  return data;
}

/**
 * `request` with the staff token stored under `tokenKey`. A refused token calls `onUnauthorized`
 * with the service's words, then throws an ApiError with status 401.
 */
export function apiClient({ tokenKey, onUnauthorized }) {
  const authorization = () => ({ Authorization: "Bearer " + (sessionStorage.getItem(tokenKey) || "") });

  async function api(path, options = {}) {
    const { response, data } = await send(path, { ...options, headers: authorization() });
    if (response.status === 401) {
      const message = detailOf(data) || TOKEN_REFUSED;
      onUnauthorized(message);
      throw new ApiError(401, message);
    }
    if (!response.ok) throw refused(response, data);
    return data;
  }

  /** A file the service sends (an export): its contents and the name it suggests. */
  api.file = async (path, fallbackName) => {
    const response = await fetch(path, { headers: authorization() }).catch(() => {
      throw new ApiError(0, NO_CONNECTION);
    });
    if (!response.ok) throw refused(response, await response.json().catch(() => ({})));
    const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "")?.[1] || fallbackName;
    return { blob: await response.blob(), name };
  };

  return api;
}
