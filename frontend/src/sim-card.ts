// The SIM status card: every port of one gateway at a glance, and its editor.

import { LitElement, css, html, nothing, type TemplateResult } from "lit";
import {
  gateways,
  openDevice,
  type Gateway,
  type GatewayPort,
  type HassEntity,
  type HomeAssistant,
} from "./api";
import { hassLanguage, localize, type StringKey } from "./localize";

export interface SimCardConfig {
  type: string;
  entry_id?: string;
}

type Tone = "ok" | "warn" | "alert" | "off";

const REGISTRATION_TONES: Record<string, Tone> = {
  register_ok: "ok",
  searching_network: "warn",
  unregister: "warn",
  pin_require: "alert",
  puk_require: "alert",
};

const NEEDS_CODE = new Set(["pin_require", "puk_require"]);

/** Bars (0-4) of a signal in dBm, as phones show them. */
export const signalBars = (dbm: number): number =>
  dbm >= -73 ? 4 : dbm >= -83 ? 3 : dbm >= -93 ? 2 : dbm >= -103 ? 1 : 0;

const GATEWAY_REFRESH_MS = 60_000;

type Formatter = (entity: HassEntity) => string;

export class DinstarSimCard extends LitElement {
  static override properties = {
    hass: { attribute: false },
    _config: { state: true },
    _gateway: { state: true },
    _missing: { state: true },
  };

  declare hass: HomeAssistant;
  declare _config: SimCardConfig;
  declare _gateway: Gateway | undefined;
  declare _missing: boolean;
  private _timer: number | undefined;
  private _loadedFor: string | undefined | null = null;

  static getConfigElement(): HTMLElement {
    return document.createElement("dinstar-sim-card-editor");
  }

  static async getStubConfig(hass: HomeAssistant): Promise<SimCardConfig> {
    const [first] = await gateways(hass);
    return { type: "custom:dinstar-sim-card", entry_id: first?.entry_id };
  }

  setConfig(config: SimCardConfig): void {
    this._config = config;
    this._loadedFor = null;
  }

  getCardSize(): number {
    return 1 + Math.ceil((this._gateway?.ports.length ?? 4) / 2) * 2;
  }

  getGridOptions(): Record<string, number> {
    return { columns: 12, min_columns: 6 };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._timer = window.setInterval(() => void this._load(), GATEWAY_REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this._timer);
  }

  protected override willUpdate(): void {
    if (this.hass && this._config && this._loadedFor !== this._config.entry_id) {
      this._loadedFor = this._config.entry_id;
      void this._load();
    }
  }

  private async _load(): Promise<void> {
    if (!this.hass) return;
    try {
      const found = await gateways(this.hass);
      this._gateway =
        found.find((gateway) => gateway.entry_id === this._config.entry_id) ??
        (this._config.entry_id ? undefined : found[0]);
      this._missing = this._gateway === undefined;
    } catch {
      this._gateway = undefined;
      this._missing = true;
    }
  }

  private _t(key: StringKey, placeholders?: Record<string, string | number>): string {
    return localize(hassLanguage(this.hass), key, placeholders);
  }

  private get _format(): Formatter {
    const hass = this.hass as HomeAssistant & { formatEntityState?: Formatter };
    return (entity) =>
      hass.formatEntityState ? hass.formatEntityState(entity) : entity.state;
  }

  private _state(entityId: string | null): HassEntity | undefined {
    return entityId ? this.hass.states[entityId] : undefined;
  }

  protected override render(): TemplateResult | typeof nothing {
    if (!this.hass || !this._config) return nothing;
    const gateway = this._gateway;
    if (!gateway) {
      return html`<ha-card
        ><div class="empty">
          ${this._missing ? this._t("choose_gateway") : nothing}
        </div></ha-card
      >`;
    }
    const queue = this._state(gateway.sms_queue);
    return html`
      <ha-card>
        <div class="header">
          <h2 class="title">${gateway.title}</h2>
          <div class="meta">
            ${queue
              ? html`<span class="chip">${this._t("queue", { count: queue.state })}</span>`
              : nothing}
            <span class="chip ${gateway.push_works ? "ok" : "warn"}"
              >${this._t(gateway.push_works ? "push_works" : "push_off")}</span
            >
          </div>
        </div>
        <ul class="ports" role="list">
          ${gateway.ports.map((port) => this._renderPort(port))}
        </ul>
      </ha-card>
    `;
  }

  private _renderPort(port: GatewayPort): TemplateResult {
    const registration = this._state(port.entities.registration);
    const signal = this._state(port.entities.signal_strength);
    const network = this._state(port.entities.network_type);
    const number = this._state(port.entities.phone_number);
    const lastSms = this._state(port.entities.last_sms);
    const code = registration?.state ?? "unknown";
    const tone = REGISTRATION_TONES[code] ?? "off";
    const needsCode = NEEDS_CODE.has(code);
    const dbm = signal ? Number(signal.state) : NaN;
    const bars = Number.isFinite(dbm) ? signalBars(dbm) : 0;
    const label = this._t("port", { port: port.port });
    const hasNumber = number && !["unknown", "unavailable", ""].includes(number.state);
    const hasSms = lastSms && !["unknown", "unavailable"].includes(lastSms.state);
    return html`
      <li class="port-item">
        <button
          class="port ${tone} ${needsCode ? "needs-code" : ""}"
          data-port=${port.port}
          data-registration=${code}
          aria-label=${this._t("open_device", { port: port.port })}
          ?disabled=${!port.device_id}
          @click=${() => port.device_id && openDevice(this, port.device_id)}
        >
          <div class="row">
            <span class="name">${label}</span>
            <span class="bars" role="img" aria-label=${this._t("signal_bars", { bars })}>
              ${[1, 2, 3, 4].map(
                (bar) => html`<i class=${bar <= bars ? "on" : ""} style="height:${bar * 25}%"></i>`,
              )}
            </span>
          </div>
          <div class="row">
            <span class="registration ${tone}"
              >${registration ? this._format(registration) : "—"}</span
            >
            <span class="dbm">${Number.isFinite(dbm) ? `${dbm} dBm` : "—"}</span>
          </div>
          ${needsCode ? html`<div class="pin-alert">${this._t("pin_needed")}</div>` : nothing}
          <div class="row small">
            <span>${network && network.state !== "unknown" ? this._format(network) : "—"}</span>
            <span class="number">${hasNumber ? number.state : this._t("no_number")}</span>
          </div>
          <div class="last-sms small" title=${hasSms ? lastSms.state : ""}>
            ${this._t("last_sms")}: ${hasSms ? lastSms.state : this._t("none")}
          </div>
        </button>
      </li>
    `;
  }

  static override styles = css`
    :host {
      display: block;
    }
    .empty {
      padding: 16px;
      color: var(--secondary-text-color);
    }
    .header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      padding: 12px 16px 0;
    }
    .title {
      margin: 0;
      font-size: var(--ha-card-header-font-size, 20px);
      font-weight: 400;
      color: var(--ha-card-header-color, var(--primary-text-color));
    }
    .meta {
      display: flex;
      gap: 6px;
      flex-wrap: wrap;
    }
    .chip {
      font-size: 12px;
      padding: 2px 8px;
      border-radius: 12px;
      background: var(--secondary-background-color);
      color: var(--primary-text-color);
    }
    .chip.ok {
      color: var(--success-color, #43a047);
    }
    .chip.warn {
      color: var(--warning-color, #ffa600);
    }
    .ports {
      list-style: none;
      margin: 0;
      padding: 12px;
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
      gap: 8px;
    }
    .port-item {
      display: flex;
    }
    .port {
      flex: 1;
      min-width: 0;
      text-align: start;
      font: inherit;
      color: var(--primary-text-color);
      background: var(--card-background-color, var(--ha-card-background));
      border: 1px solid var(--divider-color);
      border-inline-start: 4px solid var(--disabled-text-color);
      border-radius: 8px;
      padding: 8px;
      cursor: pointer;
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .port:focus-visible {
      outline: 2px solid var(--primary-color);
      outline-offset: 2px;
    }
    .port:hover {
      background: var(--secondary-background-color);
    }
    .port.ok {
      border-inline-start-color: var(--success-color, #43a047);
    }
    .port.warn {
      border-inline-start-color: var(--warning-color, #ffa600);
    }
    .port.alert {
      border-inline-start-color: var(--error-color, #db4437);
    }
    .port.needs-code {
      border-color: var(--error-color, #db4437);
      box-shadow: 0 0 0 1px var(--error-color, #db4437);
    }
    .row {
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: 4px;
    }
    .name {
      font-weight: 500;
    }
    .registration.ok {
      color: var(--success-color, #43a047);
    }
    .registration.warn {
      color: var(--warning-color, #ffa600);
    }
    .registration.alert {
      color: var(--error-color, #db4437);
      font-weight: 500;
    }
    .registration.off {
      color: var(--secondary-text-color);
    }
    .pin-alert {
      font-size: 12px;
      font-weight: 500;
      color: var(--text-primary-color, #fff);
      background: var(--error-color, #db4437);
      border-radius: 4px;
      padding: 2px 6px;
    }
    .small,
    .dbm {
      font-size: 12px;
      color: var(--secondary-text-color);
    }
    .number {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .last-sms {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .bars {
      display: inline-flex;
      align-items: flex-end;
      gap: 2px;
      height: 14px;
    }
    .bars i {
      width: 4px;
      background: var(--disabled-text-color);
      border-radius: 1px;
    }
    .bars i.on {
      background: var(--primary-text-color);
    }
  `;
}

export class DinstarSimCardEditor extends LitElement {
  static override properties = {
    hass: { attribute: false },
    _config: { state: true },
    _gateways: { state: true },
  };

  declare hass: HomeAssistant;
  declare _config: SimCardConfig;
  declare _gateways: Gateway[] | undefined;
  /** Whether "All gateways" (no entry_id) is a choice: the conversations card's editor. */
  protected allGateways = false;

  setConfig(config: SimCardConfig): void {
    this._config = config;
  }

  protected override willUpdate(): void {
    if (this.hass && this._gateways === undefined) {
      this._gateways = [];
      void gateways(this.hass).then((found) => (this._gateways = found));
    }
  }

  protected override render(): TemplateResult | typeof nothing {
    if (!this.hass || !this._config) return nothing;
    const t = (key: StringKey) => localize(hassLanguage(this.hass), key);
    if (this._gateways?.length === 0) return html`<p>${t("no_gateway")}</p>`;
    return html`
      <label for="gateway">${t("gateway")}</label>
      <select id="gateway" @change=${this._changed}>
        ${this.allGateways
          ? html`<option value="" ?selected=${!this._config.entry_id}>
              ${t("all_gateways")}
            </option>`
          : nothing}
        ${this._gateways?.map(
          (gateway) =>
            html`<option
              value=${gateway.entry_id}
              ?selected=${gateway.entry_id === this._config.entry_id}
            >
              ${gateway.title}
            </option>`,
        )}
      </select>
    `;
  }

  private _changed(event: Event): void {
    const entryId = (event.target as HTMLSelectElement).value;
    const { entry_id: _previous, ...config } = this._config;
    this._config = entryId ? { ...config, entry_id: entryId } : config;
    this.dispatchEvent(
      new CustomEvent("config-changed", {
        detail: { config: this._config },
        bubbles: true,
        composed: true,
      }),
    );
  }

  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    select {
      font: inherit;
      padding: 8px;
      color: var(--primary-text-color);
      background: var(--card-background-color);
      border: 1px solid var(--divider-color);
      border-radius: 4px;
    }
  `;
}

/** The conversations card's editor: one gateway, or all of them. */
export class DinstarConversationsCardEditor extends DinstarSimCardEditor {
  protected override allGateways = true;
}
