// Live events over one of the gateway's WebSockets: /api/ws (ticket events) or
// /api/notifications/ws (the live bell). Authenticates with a first message (the token never
// appears in a URL), reconnects with backoff, and re-dispatches every event named "<kind>.<what>"
// as a "<kind>" event carrying the message ("ticket.created" → "ticket", "notification.created"
// → "notification"). Status: connecting | live | offline.
//
// Every {"type":"ready"} (the first and each after a reconnect) is a "ready" event
// (detail.reconnect says which); after a reconnect also "resync": events may have been missed
// while the socket was down, so whoever shows their results loads them again once.

export class LiveFeed extends EventTarget {
  constructor(path, getToken, onUnauthorized) {
    super();
    this.path = path;
    this.getToken = getToken;
    this.onUnauthorized = onUnauthorized;
    this.socket = null;
    this.attempt = 0;
    this.timer = null;
    this.stopped = true;
    this.everReady = false;
    this.status = "offline";
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.socket) {
      this.socket.onclose = null;
      this.socket.onmessage = null;
      this.socket.close(1000);
    }
    this.socket = null;
    this.setStatus("offline");
  }

  setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    this.dispatchEvent(new CustomEvent("status", { detail: status }));
  }

  connect() {
    const token = this.getToken();
    if (!token || this.stopped) return;
    this.setStatus("connecting");
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    let socket;
    try {
      socket = new WebSocket(`${scheme}//${location.host}${this.path}`);
    } catch {
      this.retry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: "auth", token }));
    socket.onmessage = (message) => {
      if (this.socket !== socket) return;
      let data;
      try { data = JSON.parse(message.data); } catch { return; }
      if (data?.type === "ready") {
        this.attempt = 0;
        const reconnect = this.everReady;
        this.everReady = true;
        this.setStatus("live");
        this.dispatchEvent(new CustomEvent("ready", { detail: { reconnect } }));
        if (reconnect) this.dispatchEvent(new CustomEvent("resync"));
        return;
      }
      const kind = typeof data?.type === "string" && data.type.includes(".") ? data.type.slice(0, data.type.indexOf(".")) : "";
      if (kind) this.dispatchEvent(new CustomEvent(kind, { detail: data }));
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      if (event.code === 4401) {
        this.setStatus("offline");
        // The token it tried (a newer one may have replaced it since, in this tab or another), and
        // the gateway's reason ("token_ended: …": its problem code, then its sentence).
        this.onUnauthorized?.(token, event.reason);
        return;
      }
      this.retry();
    };
    socket.onerror = () => { /* onclose follows */ };
  }

  retry() {
    this.setStatus("offline");
    const delay = Math.min(15000, 500 * 2 ** this.attempt) + Math.random() * 300;
    this.attempt += 1;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }
}
