// Live ticket events over the gateway's WebSocket (/api/ws): authenticates with a first
// message (the token never appears in a URL), reconnects with backoff, and re-dispatches
// every event as a "ticket-event" on window. Status: connecting | live | offline.

export class LiveFeed extends EventTarget {
  constructor(getToken, onUnauthorized) {
    super();
    this.getToken = getToken;
    this.onUnauthorized = onUnauthorized;
    this.socket = null;
    this.attempt = 0;
    this.timer = null;
    this.stopped = true;
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
      socket = new WebSocket(`${scheme}//${location.host}/api/ws`);
    } catch {
      this.retry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: "auth", token }));
    socket.onmessage = (message) => {
      let data;
      try { data = JSON.parse(message.data); } catch { return; }
      if (data.type === "ready") {
        this.attempt = 0;
        const wasReconnect = this.everReady;
        this.everReady = true;
        this.setStatus("live");
        // After a reconnect, pages reload what they show: events may have been missed.
        if (wasReconnect) this.dispatchEvent(new CustomEvent("resync"));
        return;
      }
      if (typeof data.type === "string" && data.type.startsWith("ticket.")) {
        this.dispatchEvent(new CustomEvent("ticket", { detail: data }));
      }
    };
    socket.onclose = (event) => {
      this.socket = null;
      if (this.stopped) return;
      if (event.code === 4401) {
        this.setStatus("offline");
        // The token it tried (a newer one may have replaced it since, in this tab or another).
        this.onUnauthorized?.(token);
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
