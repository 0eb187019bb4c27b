// The integration's websocket commands (custom_components/dinstar/websocket_api.py)
// and the few parts of Home Assistant's frontend object the cards use.

export interface HassEntity {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
}

export interface Connection {
  subscribeMessage<T>(
    callback: (message: T) => void,
    message: Record<string, unknown>,
  ): Promise<() => Promise<void>>;
}

export interface HomeAssistant {
  states: Record<string, HassEntity | undefined>;
  language: string;
  locale?: { language: string };
  themes?: { darkMode?: boolean };
  connection: Connection;
  callWS<T>(message: Record<string, unknown>): Promise<T>;
  callService(
    domain: string,
    service: string,
    data?: Record<string, unknown>,
  ): Promise<unknown>;
}

export type Direction = "in" | "out";
export type Status = "sending" | "sent" | "delivered" | "failed" | "expired";

export interface Message {
  id: number;
  direction: Direction;
  number: string;
  port: number | null;
  text: string;
  time: string;
  status: Status | null;
  tracking_id: number | null;
}

export interface Conversation {
  entry_id: string;
  gateway: string;
  number: string;
  key: string;
  unread: number;
  last: Message;
}

export interface ConversationList {
  conversations: Conversation[];
  total: number;
  unread: number;
}

export interface MessagePage {
  messages: Message[];
  has_more: boolean;
}

export type HistoryChange =
  | { entry_id: string; type: "message" | "status"; message: Message }
  | { entry_id: string; type: "read"; number: string; key: string; unread: number };

export interface PortEntities {
  registration: string | null;
  network_type: string | null;
  signal_strength: string | null;
  phone_number: string | null;
  last_sms: string | null;
}

export interface GatewayPort {
  port: number;
  device_id: string | null;
  entities: PortEntities;
}

export interface Gateway {
  entry_id: string;
  title: string;
  device_id: string;
  push_works: boolean;
  sms_queue: string | null;
  ports: GatewayPort[];
}

export const phoneKey = (number: string): string =>
  number.trim().replace(/^\+/, "");

export const gateways = async (
  hass: HomeAssistant,
  entryId?: string,
): Promise<Gateway[]> =>
  (
    await hass.callWS<{ gateways: Gateway[] }>({
      type: "dinstar/gateways",
      ...(entryId ? { entry_id: entryId } : {}),
    })
  ).gateways;

export const conversations = (
  hass: HomeAssistant,
  entryId: string | undefined,
  limit: number,
): Promise<ConversationList> =>
  hass.callWS<ConversationList>({
    type: "dinstar/history/conversations",
    limit,
    ...(entryId ? { entry_id: entryId } : {}),
  });

export const messages = (
  hass: HomeAssistant,
  entryId: string,
  number: string,
  before?: number,
): Promise<MessagePage> =>
  hass.callWS<MessagePage>({
    type: "dinstar/history/messages",
    entry_id: entryId,
    number,
    limit: 50,
    ...(before ? { before } : {}),
  });

export const markRead = (
  hass: HomeAssistant,
  entryId: string,
  number: string,
): Promise<{ unread: number }> =>
  hass.callWS({ type: "dinstar/history/mark_read", entry_id: entryId, number });

export const subscribeHistory = (
  hass: HomeAssistant,
  callback: (change: HistoryChange) => void,
  entryId?: string,
): Promise<() => Promise<void>> =>
  hass.connection.subscribeMessage<HistoryChange>(callback, {
    type: "dinstar/history/subscribe",
    ...(entryId ? { entry_id: entryId } : {}),
  });

export const sendSms = (
  hass: HomeAssistant,
  entryId: string,
  number: string,
  text: string,
  port: number | null,
): Promise<unknown> =>
  hass.callService("dinstar", "send_sms", {
    config_entry_id: entryId,
    recipients: [number],
    message: text,
    ...(port === null ? {} : { ports: [port] }),
  });

/** Open a device's page the way Home Assistant's own links do. */
export const openDevice = (element: HTMLElement, deviceId: string): void => {
  history.pushState(null, "", `/config/devices/device/${deviceId}`);
  element.dispatchEvent(
    new CustomEvent("location-changed", { bubbles: true, composed: true }),
  );
};
