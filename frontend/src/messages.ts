// Conversations and one thread with compose and reply: the body of the SMS
// panel and of the conversations card. Updates arrive by subscription.

import { LitElement, css, html, nothing, type TemplateResult } from "lit";
import {
  conversations,
  gateways,
  markRead,
  messages,
  phoneKey,
  sendSms,
  subscribeHistory,
  type Conversation,
  type Gateway,
  type HistoryChange,
  type HomeAssistant,
  type Message,
  type Status,
} from "./api";
import { hassLanguage, localize, type StringKey } from "./localize";

interface Thread {
  entryId: string;
  number: string;
  messages: Message[];
  hasMore: boolean;
}

const MARKS: Record<Status, string> = {
  sending: "🕓",
  sent: "✓",
  delivered: "✓✓",
  failed: "!",
  expired: "?",
};

const CONVERSATIONS_LIMIT = 100;

export class DinstarMessages extends LitElement {
  static override properties = {
    hass: { attribute: false },
    entryId: { attribute: "entry-id" },
    narrow: { type: Boolean },
    _list: { state: true },
    _thread: { state: true },
    _composing: { state: true },
    _gateways: { state: true },
    _error: { state: true },
    _sending: { state: true },
    _port: { state: true },
  };

  declare hass: HomeAssistant;
  declare entryId: string | undefined;
  declare narrow: boolean;
  declare _list: Conversation[] | undefined;
  declare _thread: Thread | undefined;
  declare _composing: boolean;
  declare _gateways: Gateway[];
  declare _error: string | undefined;
  declare _sending: boolean;
  declare _port: string;
  private _unsubscribe: Promise<() => Promise<void>> | undefined;

  constructor() {
    super();
    this.narrow = false;
    this._composing = false;
    this._gateways = [];
    this._sending = false;
    this._port = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hass) this._start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    void this._unsubscribe?.then((unsubscribe) => unsubscribe());
    this._unsubscribe = undefined;
  }

  protected override willUpdate(): void {
    if (this.hass && !this._unsubscribe && this.isConnected) this._start();
  }

  private _start(): void {
    this._unsubscribe = subscribeHistory(
      this.hass,
      (change) => this._changed(change),
      this.entryId,
    );
    void this._reload();
    void gateways(this.hass, this.entryId).then((found) => (this._gateways = found));
  }

  private _t(key: StringKey, placeholders?: Record<string, string | number>): string {
    return localize(hassLanguage(this.hass), key, placeholders);
  }

  private async _reload(): Promise<void> {
    this._list = (
      await conversations(this.hass, this.entryId, CONVERSATIONS_LIMIT)
    ).conversations;
  }

  private _changed(change: HistoryChange): void {
    void this._reload();
    const thread = this._thread;
    if (
      change.type === "read" ||
      !thread ||
      thread.entryId !== change.entry_id ||
      phoneKey(change.message.number) !== phoneKey(thread.number)
    ) {
      return;
    }
    const others = thread.messages.filter((m) => m.id !== change.message.id);
    this._thread = {
      ...thread,
      messages: [change.message, ...others].sort((a, b) => b.id - a.id),
    };
    if (change.message.direction === "in") {
      void markRead(this.hass, thread.entryId, thread.number);
    }
  }

  /** Open the conversation with a number (used by the panel and tests). */
  async open(entryId: string, number: string): Promise<void> {
    this._composing = false;
    this._error = undefined;
    const page = await messages(this.hass, entryId, number);
    this._thread = { entryId, number, messages: page.messages, hasMore: page.has_more };
    const last = page.messages.find((m) => m.port !== null);
    this._port = last?.port ? String(last.port) : "";
    await markRead(this.hass, entryId, number);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLTextAreaElement>("textarea")?.focus();
  }

  private async _older(): Promise<void> {
    const thread = this._thread;
    if (!thread) return;
    const oldest = thread.messages[thread.messages.length - 1];
    const page = await messages(this.hass, thread.entryId, thread.number, oldest?.id);
    this._thread = {
      ...thread,
      messages: [...thread.messages, ...page.messages],
      hasMore: page.has_more,
    };
  }

  private _compose(): void {
    this._thread = undefined;
    this._composing = true;
    this._error = undefined;
    this._port = "";
  }

  private _back(): void {
    this._thread = undefined;
    this._composing = false;
    this._error = undefined;
  }

  private async _send(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const text = String(data.get("message") ?? "");
    const entryId = this._thread?.entryId ?? String(data.get("gateway") ?? "");
    const number = this._thread?.number ?? String(data.get("number") ?? "").trim();
    const port = data.get("port") ? Number(data.get("port")) : null;
    this._sending = true;
    this._error = undefined;
    try {
      await sendSms(this.hass, entryId, number, text, port);
      form.querySelector<HTMLTextAreaElement>("textarea")!.value = "";
      if (!this._thread) await this.open(entryId, number);
    } catch (err) {
      this._error = (err as { message?: string }).message ?? String(err);
    } finally {
      this._sending = false;
    }
  }

  private _time(iso: string): string {
    const date = new Date(iso);
    const today = new Date().toDateString() === date.toDateString();
    return date.toLocaleString(hassLanguage(this.hass), {
      ...(today ? {} : { day: "numeric", month: "short" }),
      hour: "2-digit",
      minute: "2-digit",
    });
  }

  protected override render(): TemplateResult | typeof nothing {
    if (!this.hass) return nothing;
    const detail = this._thread !== undefined || this._composing;
    return html`
      <div class="layout ${this.narrow ? "narrow" : ""} ${detail ? "detail" : ""}">
        <section class="list" aria-label=${this._t("conversations")}>
          <div class="list-header">
            <h2>${this._t("conversations")}</h2>
            <button class="new" @click=${this._compose}>${this._t("new_message")}</button>
          </div>
          ${this._renderList()}
        </section>
        <section class="thread" aria-live="polite">
          ${this._thread
            ? this._renderThread(this._thread)
            : this._composing
              ? this._renderCompose()
              : nothing}
        </section>
      </div>
    `;
  }

  private _renderList(): TemplateResult {
    if (this._list === undefined) return html``;
    if (this._list.length === 0) {
      return html`<p class="empty">${this._t("no_conversations")}</p>`;
    }
    const several = new Set(this._list.map((c) => c.entry_id)).size > 1;
    return html`<ul class="conversations" role="list">
      ${this._list.map((conversation) => {
        const selected =
          this._thread?.entryId === conversation.entry_id &&
          phoneKey(this._thread.number) === conversation.key;
        return html`<li>
          <button
            class="conversation ${selected ? "selected" : ""}"
            data-number=${conversation.number}
            aria-current=${selected ? "true" : "false"}
            @click=${() => this.open(conversation.entry_id, conversation.number)}
          >
            <span class="who">
              <span class="number">${conversation.number}</span>
              ${several ? html`<span class="gateway">${conversation.gateway}</span>` : nothing}
            </span>
            <span class="preview">${conversation.last.text}</span>
            <span class="when">${this._time(conversation.last.time)}</span>
            ${conversation.unread
              ? html`<span
                  class="badge"
                  aria-label=${this._t("unread", { count: conversation.unread })}
                  >${conversation.unread}</span
                >`
              : nothing}
          </button>
        </li>`;
      })}
    </ul>`;
  }

  private _renderThread(thread: Thread): TemplateResult {
    const gateway = this._gateways.find((g) => g.entry_id === thread.entryId);
    return html`
      <div class="thread-header">
        <button class="back" @click=${this._back} aria-label=${this._t("back")}>←</button>
        <h2>${thread.number}</h2>
      </div>
      <ol class="messages" aria-label=${thread.number}>
        ${[...thread.messages].reverse().map((message) => this._renderMessage(message))}
      </ol>
      ${thread.hasMore
        ? html`<button class="older" @click=${this._older}>${this._t("older")}</button>`
        : nothing}
      ${this._renderForm(gateway, false)}
    `;
  }

  private _renderMessage(message: Message): TemplateResult {
    const status = message.status;
    const statusText = status
      ? this._t(`status_${status}` as StringKey)
      : this._t("received");
    const port = message.port ? ` · ${this._t("via_port", { port: message.port })}` : "";
    return html`<li
      class="message ${message.direction} ${status ?? ""}"
      data-id=${message.id}
      data-status=${status ?? "received"}
    >
      <div class="text">${message.text}</div>
      <div class="info">
        <span>${this._time(message.time)}${port}</span>
        ${status
          ? html`<span class="mark" role="img" aria-label=${statusText} title=${statusText}
              >${MARKS[status]}</span
            >`
          : html`<span class="visually-hidden">${statusText}</span>`}
      </div>
    </li>`;
  }

  private _renderCompose(): TemplateResult {
    return html`
      <div class="thread-header">
        <button class="back" @click=${this._back} aria-label=${this._t("back")}>←</button>
        <h2>${this._t("new_message")}</h2>
      </div>
      ${this._renderForm(undefined, true)}
    `;
  }

  private _renderForm(gateway: Gateway | undefined, compose: boolean): TemplateResult {
    const choices = compose ? this._gateways : gateway ? [gateway] : [];
    const ports = (compose ? this._gateways[0] : gateway)?.ports ?? [];
    return html`<form class="compose" @submit=${this._send}>
      ${compose
        ? html`
            ${choices.length > 1
              ? html`<label
                  >${this._t("gateway")}
                  <select name="gateway">
                    ${choices.map((g) => html`<option value=${g.entry_id}>${g.title}</option>`)}
                  </select></label
                >`
              : html`<input type="hidden" name="gateway" value=${choices[0]?.entry_id ?? ""} />`}
            <label
              >${this._t("to")}
              <input
                name="number"
                type="tel"
                required
                autocomplete="tel"
                placeholder=${this._t("number_placeholder")}
            /></label>
          `
        : nothing}
      <label class="port"
        >${this._t("send_from")}
        <select
          name="port"
          .value=${this._port}
          @change=${(e: Event) => (this._port = (e.target as HTMLSelectElement).value)}
        >
          <option value="" ?selected=${this._port === ""}>${this._t("any_port")}</option>
          ${ports.map(
            (p) =>
              html`<option value=${p.port} ?selected=${String(p.port) === this._port}>
                ${this._t("port", { port: p.port })}
              </option>`,
          )}
        </select></label
      >
      <div class="send-row">
        <textarea
          name="message"
          required
          rows="2"
          aria-label=${this._t("message")}
          placeholder=${this._t("message")}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              (e.target as HTMLTextAreaElement).form?.requestSubmit();
            }
          }}
        ></textarea>
        <button type="submit" class="send" ?disabled=${this._sending}>
          ${this._t("send")}
        </button>
      </div>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
    </form>`;
  }

  static override styles = css`
    :host {
      display: block;
      height: 100%;
      color: var(--primary-text-color);
    }
    button,
    input,
    select,
    textarea {
      font: inherit;
      color: inherit;
    }
    button:focus-visible,
    input:focus-visible,
    select:focus-visible,
    textarea:focus-visible {
      outline: 2px solid var(--primary-color);
      outline-offset: 1px;
    }
    h2 {
      margin: 0;
      font-size: 18px;
      font-weight: 500;
    }
    .layout {
      display: grid;
      grid-template-columns: minmax(220px, 340px) 1fr;
      height: 100%;
      min-height: 320px;
    }
    .layout.narrow {
      grid-template-columns: 1fr;
    }
    .layout.narrow.detail .list,
    .layout.narrow:not(.detail) .thread {
      display: none;
    }
    .list {
      border-inline-end: 1px solid var(--divider-color);
      overflow-y: auto;
    }
    .layout.narrow .list {
      border: none;
    }
    .list-header,
    .thread-header {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      padding: 12px 16px;
      border-bottom: 1px solid var(--divider-color);
    }
    .thread-header {
      justify-content: flex-start;
    }
    .back {
      display: none;
      border: none;
      background: none;
      font-size: 20px;
      cursor: pointer;
      padding: 4px 8px;
    }
    .layout.narrow .back {
      display: inline-block;
    }
    .new,
    .send,
    .older {
      border: none;
      border-radius: 18px;
      padding: 8px 16px;
      background: var(--primary-color);
      color: var(--text-primary-color, #fff);
      cursor: pointer;
    }
    .older {
      background: var(--secondary-background-color);
      color: var(--primary-text-color);
      margin: 8px auto;
      display: block;
    }
    .send[disabled] {
      opacity: 0.6;
    }
    .empty {
      padding: 16px;
      color: var(--secondary-text-color);
    }
    .conversations {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .conversation {
      width: 100%;
      display: grid;
      grid-template-columns: 1fr auto;
      grid-template-areas: "who when" "preview badge";
      gap: 2px 8px;
      text-align: start;
      padding: 10px 16px;
      border: none;
      border-bottom: 1px solid var(--divider-color);
      background: none;
      cursor: pointer;
    }
    .conversation:hover,
    .conversation.selected {
      background: var(--secondary-background-color);
    }
    .who {
      grid-area: who;
      font-weight: 500;
      display: flex;
      gap: 6px;
      min-width: 0;
    }
    .gateway {
      font-weight: 400;
      color: var(--secondary-text-color);
      font-size: 12px;
      align-self: center;
    }
    .preview {
      grid-area: preview;
      color: var(--secondary-text-color);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .when {
      grid-area: when;
      font-size: 12px;
      color: var(--secondary-text-color);
    }
    .badge {
      grid-area: badge;
      justify-self: end;
      min-width: 20px;
      height: 20px;
      border-radius: 10px;
      padding: 0 6px;
      box-sizing: border-box;
      background: var(--accent-color, var(--primary-color));
      color: var(--text-accent-color, var(--text-primary-color, #fff));
      font-size: 12px;
      line-height: 20px;
      text-align: center;
    }
    .thread {
      display: flex;
      flex-direction: column;
      min-width: 0;
      overflow: hidden;
    }
    .messages {
      list-style: none;
      margin: 0;
      padding: 12px 16px;
      display: flex;
      flex-direction: column;
      gap: 8px;
      overflow-y: auto;
      flex: 1;
    }
    .message {
      max-width: 80%;
      padding: 8px 12px;
      border-radius: 16px;
      overflow-wrap: anywhere;
    }
    .message .text {
      white-space: pre-wrap;
    }
    .message.in {
      align-self: flex-start;
      background: var(--secondary-background-color);
      border-end-start-radius: 4px;
    }
    .message.out {
      align-self: flex-end;
      background: var(--primary-color);
      color: var(--text-primary-color, #fff);
      border-end-end-radius: 4px;
    }
    .message.out.failed {
      background: var(--error-color, #db4437);
    }
    .info {
      display: flex;
      justify-content: flex-end;
      gap: 6px;
      font-size: 11px;
      opacity: 0.8;
      margin-top: 2px;
    }
    .compose {
      border-top: 1px solid var(--divider-color);
      padding: 8px 16px 12px;
      display: flex;
      flex-direction: column;
      gap: 6px;
    }
    .compose label {
      display: flex;
      flex-direction: column;
      font-size: 12px;
      color: var(--secondary-text-color);
      gap: 2px;
    }
    .compose input,
    .compose select,
    .compose textarea {
      padding: 8px;
      border: 1px solid var(--divider-color);
      border-radius: 8px;
      background: var(--card-background-color, var(--primary-background-color));
    }
    .send-row {
      display: flex;
      gap: 8px;
      align-items: flex-end;
    }
    .send-row textarea {
      flex: 1;
      resize: vertical;
    }
    .error {
      color: var(--error-color, #db4437);
      margin: 0;
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
  `;
}
