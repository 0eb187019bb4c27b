// The Dinstar integration's frontend module: the SIM status card (with its editor),
// the conversations card and the SMS panel. Home Assistant loads it by itself:
// the integration registers it with frontend.add_extra_js_url and panel_custom.

import { LitElement, css, html, nothing, type TemplateResult } from "lit";
import type { HomeAssistant } from "./api";
import { hassLanguage, localize } from "./localize";
import { DinstarMessages } from "./messages";
import {
  DinstarConversationsCardEditor,
  DinstarSimCard,
  DinstarSimCardEditor,
} from "./sim-card";

interface ConversationsCardConfig {
  type: string;
  entry_id?: string;
  title?: string;
}

class DinstarConversationsCard extends LitElement {
  static override properties = {
    hass: { attribute: false },
    _config: { state: true },
    _narrow: { state: true },
  };

  declare hass: HomeAssistant;
  declare _config: ConversationsCardConfig;
  declare _narrow: boolean;
  private _observer = new ResizeObserver(([entry]) => {
    this._narrow = (entry?.contentRect.width ?? 0) < 600;
  });

  static getConfigElement(): HTMLElement {
    return document.createElement("dinstar-conversations-card-editor");
  }

  static getStubConfig(): ConversationsCardConfig {
    return { type: "custom:dinstar-conversations-card" };
  }

  setConfig(config: ConversationsCardConfig): void {
    this._config = config;
  }

  getCardSize(): number {
    return 8;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._observer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._observer.disconnect();
  }

  protected override render(): TemplateResult | typeof nothing {
    if (!this.hass || !this._config) return nothing;
    return html`<ha-card>
      <dinstar-messages
        .hass=${this.hass}
        .entryId=${this._config.entry_id}
        .narrow=${this._narrow ?? true}
      ></dinstar-messages>
    </ha-card>`;
  }

  static override styles = css`
    ha-card {
      overflow: hidden;
      height: 480px;
    }
  `;
}

class DinstarSmsPanel extends LitElement {
  static override properties = {
    hass: { attribute: false },
    narrow: { type: Boolean },
  };

  declare hass: HomeAssistant;
  declare narrow: boolean;

  protected override render(): TemplateResult | typeof nothing {
    if (!this.hass) return nothing;
    return html`
      <div class="toolbar">
        <ha-menu-button .hass=${this.hass} .narrow=${this.narrow}></ha-menu-button>
        <h1>${localize(hassLanguage(this.hass), "title")}</h1>
      </div>
      <main>
        <dinstar-messages .hass=${this.hass} .narrow=${this.narrow}></dinstar-messages>
      </main>
    `;
  }

  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      height: 100vh;
      height: 100dvh;
      background: var(--primary-background-color);
      color: var(--primary-text-color);
    }
    .toolbar {
      display: flex;
      align-items: center;
      gap: 8px;
      height: var(--header-height, 56px);
      padding: 0 12px;
      box-sizing: border-box;
      background: var(--app-header-background-color, var(--primary-color));
      color: var(--app-header-text-color, var(--text-primary-color, #fff));
      border-bottom: var(--app-header-border-bottom, none);
    }
    h1 {
      margin: 0;
      font-size: 20px;
      font-weight: 400;
    }
    main {
      flex: 1;
      min-height: 0;
      background: var(--card-background-color);
    }
  `;
}

const define = (name: string, element: CustomElementConstructor): void => {
  if (!customElements.get(name)) customElements.define(name, element);
};

define("dinstar-messages", DinstarMessages);
define("dinstar-sim-card", DinstarSimCard);
define("dinstar-sim-card-editor", DinstarSimCardEditor);
define("dinstar-conversations-card", DinstarConversationsCard);
define("dinstar-conversations-card-editor", DinstarConversationsCardEditor);
define("dinstar-sms-panel", DinstarSmsPanel);

interface CustomCard {
  type: string;
  name: string;
  description: string;
  preview?: boolean;
  documentationURL?: string;
}

const language = document.documentElement.lang || navigator.language;
const cards = ((window as unknown as { customCards?: CustomCard[] }).customCards ??= []);
for (const card of [
  {
    type: "dinstar-sim-card",
    name: localize(language, "sim_card_name"),
    description: localize(language, "sim_card_description"),
    preview: true,
  },
  {
    type: "dinstar-conversations-card",
    name: localize(language, "conversations_card_name"),
    description: localize(language, "conversations_card_description"),
  },
]) {
  if (!cards.some((known) => known.type === card.type)) {
    cards.push({
      ...card,
      documentationURL: "https://github.com/dinstar-ha/dinstar#dashboard",
    });
  }
}
