var O=globalThis,U=O.ShadowRoot&&(O.ShadyCSS===void 0||O.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,V=Symbol(),_e=new WeakMap,D=class{constructor(e,t,s){if(this._$cssResult$=!0,s!==V)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=t}get styleSheet(){let e=this.o,t=this.t;if(U&&e===void 0){let s=t!==void 0&&t.length===1;s&&(e=_e.get(t)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),s&&_e.set(t,e))}return e}toString(){return this.cssText}},ge=a=>new D(typeof a=="string"?a:a+"",void 0,V),y=(a,...e)=>{let t=a.length===1?a[0]:e.reduce((s,r,n)=>s+(i=>{if(i._$cssResult$===!0)return i.cssText;if(typeof i=="number")return i;throw Error("Value passed to 'css' function must be a 'css' function result: "+i+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(r)+a[n+1],a[0]);return new D(t,a,V)},me=(a,e)=>{if(U)a.adoptedStyleSheets=e.map(t=>t instanceof CSSStyleSheet?t:t.styleSheet);else for(let t of e){let s=document.createElement("style"),r=O.litNonce;r!==void 0&&s.setAttribute("nonce",r),s.textContent=t.cssText,a.appendChild(s)}},Q=U?a=>a:a=>a instanceof CSSStyleSheet?(e=>{let t="";for(let s of e.cssRules)t+=s.cssText;return ge(t)})(a):a;var{is:Ze,defineProperty:Je,getOwnPropertyDescriptor:Ye,getOwnPropertyNames:Xe,getOwnPropertySymbols:et,getPrototypeOf:tt}=Object,G=globalThis,ve=G.trustedTypes,st=ve?ve.emptyScript:"",rt=G.reactiveElementPolyfillSupport,N=(a,e)=>a,Z={toAttribute(a,e){switch(e){case Boolean:a=a?st:null;break;case Object:case Array:a=a==null?a:JSON.stringify(a)}return a},fromAttribute(a,e){let t=a;switch(e){case Boolean:t=a!==null;break;case Number:t=a===null?null:Number(a);break;case Object:case Array:try{t=JSON.parse(a)}catch{t=null}}return t}},fe=(a,e)=>!Ze(a,e),ye={attribute:!0,type:String,converter:Z,reflect:!1,useDefault:!1,hasChanged:fe};Symbol.metadata??=Symbol("metadata"),G.litPropertyMetadata??=new WeakMap;var f=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,t=ye){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(e,t),!t.noAccessor){let s=Symbol(),r=this.getPropertyDescriptor(e,s,t);r!==void 0&&Je(this.prototype,e,r)}}static getPropertyDescriptor(e,t,s){let{get:r,set:n}=Ye(this.prototype,e)??{get(){return this[t]},set(i){this[t]=i}};return{get:r,set(i){let p=r?.call(this);n?.call(this,i),this.requestUpdate(e,p,s)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??ye}static _$Ei(){if(this.hasOwnProperty(N("elementProperties")))return;let e=tt(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(N("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(N("properties"))){let t=this.properties,s=[...Xe(t),...et(t)];for(let r of s)this.createProperty(r,t[r])}let e=this[Symbol.metadata];if(e!==null){let t=litPropertyMetadata.get(e);if(t!==void 0)for(let[s,r]of t)this.elementProperties.set(s,r)}this._$Eh=new Map;for(let[t,s]of this.elementProperties){let r=this._$Eu(t,s);r!==void 0&&this._$Eh.set(r,t)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let t=[];if(Array.isArray(e)){let s=new Set(e.flat(1/0).reverse());for(let r of s)t.unshift(Q(r))}else e!==void 0&&t.push(Q(e));return t}static _$Eu(e,t){let s=t.attribute;return s===!1?void 0:typeof s=="string"?s:typeof e=="string"?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,t=this.constructor.elementProperties;for(let s of t.keys())this.hasOwnProperty(s)&&(e.set(s,this[s]),delete this[s]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return me(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,t,s){this._$AK(e,s)}_$ET(e,t){let s=this.constructor.elementProperties.get(e),r=this.constructor._$Eu(e,s);if(r!==void 0&&s.reflect===!0){let n=(s.converter?.toAttribute!==void 0?s.converter:Z).toAttribute(t,s.type);this._$Em=e,n==null?this.removeAttribute(r):this.setAttribute(r,n),this._$Em=null}}_$AK(e,t){let s=this.constructor,r=s._$Eh.get(e);if(r!==void 0&&this._$Em!==r){let n=s.getPropertyOptions(r),i=typeof n.converter=="function"?{fromAttribute:n.converter}:n.converter?.fromAttribute!==void 0?n.converter:Z;this._$Em=r;let p=i.fromAttribute(t,n.type);this[r]=p??this._$Ej?.get(r)??p,this._$Em=null}}requestUpdate(e,t,s,r=!1,n){if(e!==void 0){let i=this.constructor;if(r===!1&&(n=this[e]),s??=i.getPropertyOptions(e),!((s.hasChanged??fe)(n,t)||s.useDefault&&s.reflect&&n===this._$Ej?.get(e)&&!this.hasAttribute(i._$Eu(e,s))))return;this.C(e,t,s)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(e,t,{useDefault:s,reflect:r,wrapped:n},i){s&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,i??t??this[e]),n!==!0||i!==void 0)||(this._$AL.has(e)||(this.hasUpdated||s||(t=void 0),this._$AL.set(e,t)),r===!0&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(t){Promise.reject(t)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[r,n]of this._$Ep)this[r]=n;this._$Ep=void 0}let s=this.constructor.elementProperties;if(s.size>0)for(let[r,n]of s){let{wrapped:i}=n,p=this[r];i!==!0||this._$AL.has(r)||p===void 0||this.C(r,void 0,n,p)}}let e=!1,t=this._$AL;try{e=this.shouldUpdate(t),e?(this.willUpdate(t),this._$EO?.forEach(s=>s.hostUpdate?.()),this.update(t)):this._$EM()}catch(s){throw e=!1,this._$EM(),s}e&&this._$AE(t)}willUpdate(e){}_$AE(e){this._$EO?.forEach(t=>t.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}updated(e){}firstUpdated(e){}};f.elementStyles=[],f.shadowRootOptions={mode:"open"},f[N("elementProperties")]=new Map,f[N("finalized")]=new Map,rt?.({ReactiveElement:f}),(G.reactiveElementVersions??=[]).push("2.1.2");var re=globalThis,be=a=>a,j=re.trustedTypes,we=j?j.createPolicy("lit-html",{createHTML:a=>a}):void 0,Ee="$lit$",b=`lit$${Math.random().toFixed(9).slice(2)}$`,Ce="?"+b,at=`<${Ce}>`,x=document,R=()=>x.createComment(""),z=a=>a===null||typeof a!="object"&&typeof a!="function",ae=Array.isArray,nt=a=>ae(a)||typeof a?.[Symbol.iterator]=="function",J=`[ 	
\f\r]`,T=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,$e=/-->/g,Se=/>/g,$=RegExp(`>|${J}(?:([^\\s"'>=/]+)(${J}*=${J}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),xe=/'/g,ke=/"/g,Me=/^(?:script|style|textarea|title)$/i,ne=a=>(e,...t)=>({_$litType$:a,strings:e,values:t}),l=ne(1),Rt=ne(2),zt=ne(3),k=Symbol.for("lit-noChange"),d=Symbol.for("lit-nothing"),Ae=new WeakMap,S=x.createTreeWalker(x,129);function Pe(a,e){if(!ae(a)||!a.hasOwnProperty("raw"))throw Error("invalid template strings array");return we!==void 0?we.createHTML(e):e}var it=(a,e)=>{let t=a.length-1,s=[],r,n=e===2?"<svg>":e===3?"<math>":"",i=T;for(let p=0;p<t;p++){let o=a[p],h,u,c=-1,g=0;for(;g<o.length&&(i.lastIndex=g,u=i.exec(o),u!==null);)g=i.lastIndex,i===T?u[1]==="!--"?i=$e:u[1]!==void 0?i=Se:u[2]!==void 0?(Me.test(u[2])&&(r=RegExp("</"+u[2],"g")),i=$):u[3]!==void 0&&(i=$):i===$?u[0]===">"?(i=r??T,c=-1):u[1]===void 0?c=-2:(c=i.lastIndex-u[2].length,h=u[1],i=u[3]===void 0?$:u[3]==='"'?ke:xe):i===ke||i===xe?i=$:i===$e||i===Se?i=T:(i=$,r=void 0);let v=i===$&&a[p+1].startsWith("/>")?" ":"";n+=i===T?o+at:c>=0?(s.push(h),o.slice(0,c)+Ee+o.slice(c)+b+v):o+b+(c===-2?p:v)}return[Pe(a,n+(a[t]||"<?>")+(e===2?"</svg>":e===3?"</math>":"")),s]},I=class a{constructor({strings:e,_$litType$:t},s){let r;this.parts=[];let n=0,i=0,p=e.length-1,o=this.parts,[h,u]=it(e,t);if(this.el=a.createElement(h,s),S.currentNode=this.el.content,t===2||t===3){let c=this.el.content.firstChild;c.replaceWith(...c.childNodes)}for(;(r=S.nextNode())!==null&&o.length<p;){if(r.nodeType===1){if(r.hasAttributes())for(let c of r.getAttributeNames())if(c.endsWith(Ee)){let g=u[i++],v=r.getAttribute(c).split(b),A=/([.?@])?(.*)/.exec(g);o.push({type:1,index:n,name:A[2],strings:v,ctor:A[1]==="."?X:A[1]==="?"?ee:A[1]==="@"?te:C}),r.removeAttribute(c)}else c.startsWith(b)&&(o.push({type:6,index:n}),r.removeAttribute(c));if(Me.test(r.tagName)){let c=r.textContent.split(b),g=c.length-1;if(g>0){r.textContent=j?j.emptyScript:"";for(let v=0;v<g;v++)r.append(c[v],R()),S.nextNode(),o.push({type:2,index:++n});r.append(c[g],R())}}}else if(r.nodeType===8)if(r.data===Ce)o.push({type:2,index:n});else{let c=-1;for(;(c=r.data.indexOf(b,c+1))!==-1;)o.push({type:7,index:n}),c+=b.length-1}n++}}static createElement(e,t){let s=x.createElement("template");return s.innerHTML=e,s}};function E(a,e,t=a,s){if(e===k)return e;let r=s!==void 0?t._$Co?.[s]:t._$Cl,n=z(e)?void 0:e._$litDirective$;return r?.constructor!==n&&(r?._$AO?.(!1),n===void 0?r=void 0:(r=new n(a),r._$AT(a,t,s)),s!==void 0?(t._$Co??=[])[s]=r:t._$Cl=r),r!==void 0&&(e=E(a,r._$AS(a,e.values),r,s)),e}var Y=class{constructor(e,t){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:t},parts:s}=this._$AD,r=(e?.creationScope??x).importNode(t,!0);S.currentNode=r;let n=S.nextNode(),i=0,p=0,o=s[0];for(;o!==void 0;){if(i===o.index){let h;o.type===2?h=new H(n,n.nextSibling,this,e):o.type===1?h=new o.ctor(n,o.name,o.strings,this,e):o.type===6&&(h=new se(n,this,e)),this._$AV.push(h),o=s[++p]}i!==o?.index&&(n=S.nextNode(),i++)}return S.currentNode=x,r}p(e){let t=0;for(let s of this._$AV)s!==void 0&&(s.strings!==void 0?(s._$AI(e,s,t),t+=s.strings.length-2):s._$AI(e[t])),t++}},H=class a{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,t,s,r){this.type=2,this._$AH=d,this._$AN=void 0,this._$AA=e,this._$AB=t,this._$AM=s,this.options=r,this._$Cv=r?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,t=this._$AM;return t!==void 0&&e?.nodeType===11&&(e=t.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,t=this){e=E(this,e,t),z(e)?e===d||e==null||e===""?(this._$AH!==d&&this._$AR(),this._$AH=d):e!==this._$AH&&e!==k&&this._(e):e._$litType$!==void 0?this.$(e):e.nodeType!==void 0?this.T(e):nt(e)?this.k(e):this._(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==d&&z(this._$AH)?this._$AA.nextSibling.data=e:this.T(x.createTextNode(e)),this._$AH=e}$(e){let{values:t,_$litType$:s}=e,r=typeof s=="number"?this._$AC(e):(s.el===void 0&&(s.el=I.createElement(Pe(s.h,s.h[0]),this.options)),s);if(this._$AH?._$AD===r)this._$AH.p(t);else{let n=new Y(r,this),i=n.u(this.options);n.p(t),this.T(i),this._$AH=n}}_$AC(e){let t=Ae.get(e.strings);return t===void 0&&Ae.set(e.strings,t=new I(e)),t}k(e){ae(this._$AH)||(this._$AH=[],this._$AR());let t=this._$AH,s,r=0;for(let n of e)r===t.length?t.push(s=new a(this.O(R()),this.O(R()),this,this.options)):s=t[r],s._$AI(n),r++;r<t.length&&(this._$AR(s&&s._$AB.nextSibling,r),t.length=r)}_$AR(e=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);e!==this._$AB;){let s=be(e).nextSibling;be(e).remove(),e=s}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},C=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,t,s,r,n){this.type=1,this._$AH=d,this._$AN=void 0,this.element=e,this.name=t,this._$AM=r,this.options=n,s.length>2||s[0]!==""||s[1]!==""?(this._$AH=Array(s.length-1).fill(new String),this.strings=s):this._$AH=d}_$AI(e,t=this,s,r){let n=this.strings,i=!1;if(n===void 0)e=E(this,e,t,0),i=!z(e)||e!==this._$AH&&e!==k,i&&(this._$AH=e);else{let p=e,o,h;for(e=n[0],o=0;o<n.length-1;o++)h=E(this,p[s+o],t,o),h===k&&(h=this._$AH[o]),i||=!z(h)||h!==this._$AH[o],h===d?e=d:e!==d&&(e+=(h??"")+n[o+1]),this._$AH[o]=h}i&&!r&&this.j(e)}j(e){e===d?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??"")}},X=class extends C{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===d?void 0:e}},ee=class extends C{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==d)}},te=class extends C{constructor(e,t,s,r,n){super(e,t,s,r,n),this.type=5}_$AI(e,t=this){if((e=E(this,e,t,0)??d)===k)return;let s=this._$AH,r=e===d&&s!==d||e.capture!==s.capture||e.once!==s.once||e.passive!==s.passive,n=e!==d&&(s===d||r);r&&this.element.removeEventListener(this.name,this,s),n&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},se=class{constructor(e,t,s){this.element=e,this.type=6,this._$AN=void 0,this._$AM=t,this.options=s}get _$AU(){return this._$AM._$AU}_$AI(e){E(this,e)}};var ot=re.litHtmlPolyfillSupport;ot?.(I,H),(re.litHtmlVersions??=[]).push("3.3.3");var De=(a,e,t)=>{let s=t?.renderBefore??e,r=s._$litPart$;if(r===void 0){let n=t?.renderBefore??null;s._$litPart$=r=new H(e.insertBefore(R(),n),n,void 0,t??{})}return r._$AI(a),r};var ie=globalThis,_=class extends f{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=De(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return k}};_._$litElement$=!0,_.finalized=!0,ie.litElementHydrateSupport?.({LitElement:_});var dt=ie.litElementPolyfillSupport;dt?.({LitElement:_});(ie.litElementVersions??=[]).push("4.2.2");var Ne={sim_card_name:"Dinstar-SIM-Status",sim_card_description:"Alle SIM-Ports eines Dinstar-Gateways auf einen Blick.",conversations_card_name:"Dinstar-Unterhaltungen",conversations_card_description:"SMS-Unterhaltungen der Dinstar-Gateways, mit Antworten.",gateway:"Gateway",all_gateways:"Alle Gateways",no_gateway:"Es ist kein Dinstar-Gateway eingerichtet.",choose_gateway:"Wähle das Gateway in den Einstellungen der Karte.",port:"Port {port}",signal_bars:"Signal {bars} von 4 Balken",no_number:"Keine Nummer",last_sms:"Letzte SMS",none:"keine",queue:"Sendewarteschlange: {count}",push_works:"Push aktiv",push_off:"Kein Push: Abfrage alle 10 s",pin_needed:"SIM wartet auf ihre PIN",open_device:"Gerät von Port {port} öffnen",title:"SMS",conversations:"Unterhaltungen",no_conversations:"Noch keine Nachrichten.",unread:"{count} ungelesen",new_message:"Neue Nachricht",back:"Zurück zu den Unterhaltungen",to:"An",number_placeholder:"+4917012345678",message:"Nachricht",send:"Senden",send_from:"Senden über",any_port:"Beliebiger Port",older:"Ältere Nachrichten zeigen",status_sending:"Wird gesendet",status_sent:"Gesendet",status_delivered:"Zugestellt",status_failed:"Fehlgeschlagen",status_expired:"Kein Bericht",received:"Empfangen",via_port:"Port {port}"};var oe={sim_card_name:"Dinstar SIM status",sim_card_description:"Every SIM port of a Dinstar gateway at a glance.",conversations_card_name:"Dinstar conversations",conversations_card_description:"SMS conversations of Dinstar gateways, with reply.",gateway:"Gateway",all_gateways:"All gateways",no_gateway:"No Dinstar gateway is set up.",choose_gateway:"Choose the gateway in the card's settings.",port:"Port {port}",signal_bars:"Signal {bars} of 4 bars",no_number:"No number",last_sms:"Last SMS",none:"none",queue:"Send queue: {count}",push_works:"Push works",push_off:"No push: checked every 10 s",pin_needed:"SIM needs its PIN",open_device:"Open the device of port {port}",title:"SMS",conversations:"Conversations",no_conversations:"No messages yet.",unread:"{count} unread",new_message:"New message",back:"Back to the conversations",to:"To",number_placeholder:"+4917012345678",message:"Message",send:"Send",send_from:"Send from",any_port:"Any port",older:"Show older messages",status_sending:"Sending",status_sent:"Sent",status_delivered:"Delivered",status_failed:"Failed",status_expired:"No report",received:"Received",via_port:"port {port}"};var Te={sim_card_name:"Estado de SIM de Dinstar",sim_card_description:"Todos los puertos SIM de una pasarela Dinstar de un vistazo.",conversations_card_name:"Conversaciones de Dinstar",conversations_card_description:"Conversaciones SMS de las pasarelas Dinstar, con respuesta.",gateway:"Pasarela",all_gateways:"Todas las pasarelas",no_gateway:"No hay ninguna pasarela Dinstar configurada.",choose_gateway:"Elige la pasarela en los ajustes de la tarjeta.",port:"Puerto {port}",signal_bars:"Señal: {bars} de 4 barras",no_number:"Sin número",last_sms:"Último SMS",none:"ninguno",queue:"Cola de envío: {count}",push_works:"Push activo",push_off:"Sin push: consulta cada 10 s",pin_needed:"La SIM necesita su PIN",open_device:"Abrir el dispositivo del puerto {port}",title:"SMS",conversations:"Conversaciones",no_conversations:"Aún no hay mensajes.",unread:"{count} sin leer",new_message:"Nuevo mensaje",back:"Volver a las conversaciones",to:"Para",number_placeholder:"+4917012345678",message:"Mensaje",send:"Enviar",send_from:"Enviar desde",any_port:"Cualquier puerto",older:"Mostrar mensajes anteriores",status_sending:"Enviando",status_sent:"Enviado",status_delivered:"Entregado",status_failed:"Fallido",status_expired:"Sin informe",received:"Recibido",via_port:"puerto {port}"};var Re={sim_card_name:"État des SIM Dinstar",sim_card_description:"Tous les ports SIM d'une passerelle Dinstar en un coup d'œil.",conversations_card_name:"Conversations Dinstar",conversations_card_description:"Conversations SMS des passerelles Dinstar, avec réponse.",gateway:"Passerelle",all_gateways:"Toutes les passerelles",no_gateway:"Aucune passerelle Dinstar n'est configurée.",choose_gateway:"Choisissez la passerelle dans les paramètres de la carte.",port:"Port {port}",signal_bars:"Signal : {bars} barres sur 4",no_number:"Pas de numéro",last_sms:"Dernier SMS",none:"aucun",queue:"File d'envoi : {count}",push_works:"Push actif",push_off:"Pas de push : interrogation toutes les 10 s",pin_needed:"La SIM attend son code PIN",open_device:"Ouvrir l'appareil du port {port}",title:"SMS",conversations:"Conversations",no_conversations:"Aucun message pour l'instant.",unread:"{count} non lu(s)",new_message:"Nouveau message",back:"Retour aux conversations",to:"À",number_placeholder:"+4917012345678",message:"Message",send:"Envoyer",send_from:"Envoyer depuis",any_port:"N'importe quel port",older:"Afficher les messages plus anciens",status_sending:"Envoi en cours",status_sent:"Envoyé",status_delivered:"Remis",status_failed:"Échec",status_expired:"Pas d'accusé",received:"Reçu",via_port:"port {port}"};var ze={sim_card_name:"Stato SIM Dinstar",sim_card_description:"Tutte le porte SIM di un gateway Dinstar a colpo d'occhio.",conversations_card_name:"Conversazioni Dinstar",conversations_card_description:"Conversazioni SMS dei gateway Dinstar, con risposta.",gateway:"Gateway",all_gateways:"Tutti i gateway",no_gateway:"Nessun gateway Dinstar configurato.",choose_gateway:"Scegli il gateway nelle impostazioni della scheda.",port:"Porta {port}",signal_bars:"Segnale: {bars} tacche su 4",no_number:"Nessun numero",last_sms:"Ultimo SMS",none:"nessuno",queue:"Coda di invio: {count}",push_works:"Push attivo",push_off:"Nessun push: controllo ogni 10 s",pin_needed:"La SIM richiede il PIN",open_device:"Apri il dispositivo della porta {port}",title:"SMS",conversations:"Conversazioni",no_conversations:"Ancora nessun messaggio.",unread:"{count} non letti",new_message:"Nuovo messaggio",back:"Torna alle conversazioni",to:"A",number_placeholder:"+4917012345678",message:"Messaggio",send:"Invia",send_from:"Invia da",any_port:"Qualsiasi porta",older:"Mostra messaggi precedenti",status_sending:"Invio in corso",status_sent:"Inviato",status_delivered:"Consegnato",status_failed:"Non riuscito",status_expired:"Nessuna conferma",received:"Ricevuto",via_port:"porta {port}"};var Ie={sim_card_name:"Dinstar-simstatus",sim_card_description:"Alle simpoorten van een Dinstar-gateway in één oogopslag.",conversations_card_name:"Dinstar-gesprekken",conversations_card_description:"Sms-gesprekken van Dinstar-gateways, met antwoorden.",gateway:"Gateway",all_gateways:"Alle gateways",no_gateway:"Er is geen Dinstar-gateway ingesteld.",choose_gateway:"Kies de gateway in de instellingen van de kaart.",port:"Poort {port}",signal_bars:"Signaal: {bars} van 4 streepjes",no_number:"Geen nummer",last_sms:"Laatste sms",none:"geen",queue:"Verzendwachtrij: {count}",push_works:"Push werkt",push_off:"Geen push: elke 10 s opgevraagd",pin_needed:"Simkaart heeft haar pincode nodig",open_device:"Apparaat van poort {port} openen",title:"Sms",conversations:"Gesprekken",no_conversations:"Nog geen berichten.",unread:"{count} ongelezen",new_message:"Nieuw bericht",back:"Terug naar de gesprekken",to:"Aan",number_placeholder:"+4917012345678",message:"Bericht",send:"Verzenden",send_from:"Verzenden via",any_port:"Elke poort",older:"Oudere berichten tonen",status_sending:"Wordt verzonden",status_sent:"Verzonden",status_delivered:"Afgeleverd",status_failed:"Mislukt",status_expired:"Geen rapport",received:"Ontvangen",via_port:"poort {port}"};var He={sim_card_name:"Stan kart SIM Dinstar",sim_card_description:"Wszystkie porty SIM bramki Dinstar w jednym miejscu.",conversations_card_name:"Rozmowy Dinstar",conversations_card_description:"Rozmowy SMS bramek Dinstar, z odpowiadaniem.",gateway:"Bramka",all_gateways:"Wszystkie bramki",no_gateway:"Nie skonfigurowano żadnej bramki Dinstar.",choose_gateway:"Wybierz bramkę w ustawieniach karty.",port:"Port {port}",signal_bars:"Sygnał: {bars} z 4 kresek",no_number:"Brak numeru",last_sms:"Ostatni SMS",none:"brak",queue:"Kolejka wysyłania: {count}",push_works:"Push działa",push_off:"Brak push: odpytywanie co 10 s",pin_needed:"Karta SIM wymaga kodu PIN",open_device:"Otwórz urządzenie portu {port}",title:"SMS",conversations:"Rozmowy",no_conversations:"Nie ma jeszcze wiadomości.",unread:"Nieprzeczytane: {count}",new_message:"Nowa wiadomość",back:"Wróć do rozmów",to:"Do",number_placeholder:"+4917012345678",message:"Wiadomość",send:"Wyślij",send_from:"Wyślij z",any_port:"Dowolny port",older:"Pokaż starsze wiadomości",status_sending:"Wysyłanie",status_sent:"Wysłano",status_delivered:"Dostarczono",status_failed:"Niepowodzenie",status_expired:"Brak raportu",received:"Odebrano",via_port:"port {port}"};var Le={sim_card_name:"Estado dos SIM Dinstar",sim_card_description:"Todas as portas SIM de um gateway Dinstar num relance.",conversations_card_name:"Conversas Dinstar",conversations_card_description:"Conversas SMS dos gateways Dinstar, com resposta.",gateway:"Gateway",all_gateways:"Todos os gateways",no_gateway:"Nenhum gateway Dinstar está configurado.",choose_gateway:"Escolha o gateway nas definições do cartão.",port:"Porta {port}",signal_bars:"Sinal: {bars} de 4 barras",no_number:"Sem número",last_sms:"Última SMS",none:"nenhuma",queue:"Fila de envio: {count}",push_works:"Push ativo",push_off:"Sem push: consulta a cada 10 s",pin_needed:"O SIM precisa do PIN",open_device:"Abrir o dispositivo da porta {port}",title:"SMS",conversations:"Conversas",no_conversations:"Ainda não há mensagens.",unread:"{count} por ler",new_message:"Nova mensagem",back:"Voltar às conversas",to:"Para",number_placeholder:"+4917012345678",message:"Mensagem",send:"Enviar",send_from:"Enviar a partir de",any_port:"Qualquer porta",older:"Mostrar mensagens anteriores",status_sending:"A enviar",status_sent:"Enviada",status_delivered:"Entregue",status_failed:"Falhou",status_expired:"Sem relatório",received:"Recebida",via_port:"porta {port}"};var Oe={sim_card_name:"Status dos SIMs Dinstar",sim_card_description:"Todas as portas SIM de um gateway Dinstar em um relance.",conversations_card_name:"Conversas Dinstar",conversations_card_description:"Conversas por SMS dos gateways Dinstar, com resposta.",gateway:"Gateway",all_gateways:"Todos os gateways",no_gateway:"Nenhum gateway Dinstar está configurado.",choose_gateway:"Escolha o gateway nas configurações do cartão.",port:"Porta {port}",signal_bars:"Sinal: {bars} de 4 barras",no_number:"Sem número",last_sms:"Último SMS",none:"nenhum",queue:"Fila de envio: {count}",push_works:"Push ativo",push_off:"Sem push: consulta a cada 10 s",pin_needed:"O SIM precisa do PIN",open_device:"Abrir o dispositivo da porta {port}",title:"SMS",conversations:"Conversas",no_conversations:"Ainda não há mensagens.",unread:"{count} não lidas",new_message:"Nova mensagem",back:"Voltar para as conversas",to:"Para",number_placeholder:"+4917012345678",message:"Mensagem",send:"Enviar",send_from:"Enviar por",any_port:"Qualquer porta",older:"Mostrar mensagens anteriores",status_sending:"Enviando",status_sent:"Enviado",status_delivered:"Entregue",status_failed:"Falhou",status_expired:"Sem relatório",received:"Recebido",via_port:"porta {port}"};var Ue={sim_card_name:"Состояние SIM Dinstar",sim_card_description:"Все SIM-порты шлюза Dinstar на одном экране.",conversations_card_name:"Переписка Dinstar",conversations_card_description:"SMS-переписка шлюзов Dinstar с возможностью ответа.",gateway:"Шлюз",all_gateways:"Все шлюзы",no_gateway:"Ни один шлюз Dinstar не настроен.",choose_gateway:"Выберите шлюз в настройках карточки.",port:"Порт {port}",signal_bars:"Сигнал: {bars} из 4 делений",no_number:"Нет номера",last_sms:"Последнее SMS",none:"нет",queue:"Очередь отправки: {count}",push_works:"Push работает",push_off:"Нет push: опрос каждые 10 с",pin_needed:"SIM-карте нужен PIN-код",open_device:"Открыть устройство порта {port}",title:"SMS",conversations:"Переписки",no_conversations:"Сообщений пока нет.",unread:"Непрочитано: {count}",new_message:"Новое сообщение",back:"Назад к перепискам",to:"Кому",number_placeholder:"+4917012345678",message:"Сообщение",send:"Отправить",send_from:"Отправить через",any_port:"Любой порт",older:"Показать более ранние сообщения",status_sending:"Отправляется",status_sent:"Отправлено",status_delivered:"Доставлено",status_failed:"Ошибка",status_expired:"Нет отчёта",received:"Получено",via_port:"порт {port}"};var Ge={sim_card_name:"Dinstar SIM durumu",sim_card_description:"Bir Dinstar ağ geçidinin tüm SIM portları tek bakışta.",conversations_card_name:"Dinstar sohbetleri",conversations_card_description:"Dinstar ağ geçitlerinin SMS sohbetleri, yanıtlama ile.",gateway:"Ağ geçidi",all_gateways:"Tüm ağ geçitleri",no_gateway:"Kurulu bir Dinstar ağ geçidi yok.",choose_gateway:"Ağ geçidini kartın ayarlarından seçin.",port:"Port {port}",signal_bars:"Sinyal: 4 çubuktan {bars}",no_number:"Numara yok",last_sms:"Son SMS",none:"yok",queue:"Gönderim kuyruğu: {count}",push_works:"Push çalışıyor",push_off:"Push yok: her 10 sn'de sorgulanıyor",pin_needed:"SIM için PIN gerekiyor",open_device:"{port} numaralı portun cihazını aç",title:"SMS",conversations:"Sohbetler",no_conversations:"Henüz mesaj yok.",unread:"{count} okunmamış",new_message:"Yeni mesaj",back:"Sohbetlere dön",to:"Alıcı",number_placeholder:"+4917012345678",message:"Mesaj",send:"Gönder",send_from:"Gönderen port",any_port:"Herhangi bir port",older:"Eski mesajları göster",status_sending:"Gönderiliyor",status_sent:"Gönderildi",status_delivered:"Teslim edildi",status_failed:"Başarısız",status_expired:"Rapor yok",received:"Alındı",via_port:"port {port}"};var je={sim_card_name:"Стан SIM Dinstar",sim_card_description:"Усі SIM-порти шлюзу Dinstar на одному екрані.",conversations_card_name:"Листування Dinstar",conversations_card_description:"SMS-листування шлюзів Dinstar з можливістю відповіді.",gateway:"Шлюз",all_gateways:"Усі шлюзи",no_gateway:"Жоден шлюз Dinstar не налаштовано.",choose_gateway:"Виберіть шлюз у налаштуваннях картки.",port:"Порт {port}",signal_bars:"Сигнал: {bars} з 4 поділок",no_number:"Немає номера",last_sms:"Останнє SMS",none:"немає",queue:"Черга надсилання: {count}",push_works:"Push працює",push_off:"Немає push: опитування кожні 10 с",pin_needed:"SIM-картці потрібен PIN-код",open_device:"Відкрити пристрій порту {port}",title:"SMS",conversations:"Листування",no_conversations:"Повідомлень ще немає.",unread:"Непрочитано: {count}",new_message:"Нове повідомлення",back:"Назад до листувань",to:"Кому",number_placeholder:"+4917012345678",message:"Повідомлення",send:"Надіслати",send_from:"Надіслати через",any_port:"Будь-який порт",older:"Показати давніші повідомлення",status_sending:"Надсилається",status_sent:"Надіслано",status_delivered:"Доставлено",status_failed:"Помилка",status_expired:"Немає звіту",received:"Отримано",via_port:"порт {port}"};var qe={sim_card_name:"Dinstar SIM 状态",sim_card_description:"一目了然地查看 Dinstar 网关的所有 SIM 端口。",conversations_card_name:"Dinstar 会话",conversations_card_description:"Dinstar 网关的短信会话，可直接回复。",gateway:"网关",all_gateways:"所有网关",no_gateway:"尚未设置 Dinstar 网关。",choose_gateway:"请在卡片设置中选择网关。",port:"端口 {port}",signal_bars:"信号：{bars}/4 格",no_number:"无号码",last_sms:"最近短信",none:"无",queue:"发送队列：{count}",push_works:"推送正常",push_off:"无推送：每 10 秒查询一次",pin_needed:"SIM 卡需要 PIN 码",open_device:"打开端口 {port} 的设备",title:"短信",conversations:"会话",no_conversations:"暂无消息。",unread:"{count} 条未读",new_message:"新消息",back:"返回会话列表",to:"收件人",number_placeholder:"+4917012345678",message:"消息",send:"发送",send_from:"发送端口",any_port:"任意端口",older:"显示更早的消息",status_sending:"正在发送",status_sent:"已发送",status_delivered:"已送达",status_failed:"发送失败",status_expired:"无回执",received:"已接收",via_port:"端口 {port}"};var Be={de:Ne,en:oe,es:Te,fr:Re,it:ze,nl:Ie,pl:He,pt:Le,"pt-br":Oe,ru:Ue,tr:Ge,uk:je,"zh-hans":qe},$t={zh:"zh-hans","zh-cn":"zh-hans","zh-sg":"zh-hans"},w=a=>a?.locale?.language||a?.language,St=a=>{let e=(a||"en").toLowerCase(),t=$t[e]??e;return Be[t]??Be[t.split("-")[0]]??oe},m=(a,e,t={})=>St(a)[e].replace(/\{(\w+)\}/g,(s,r)=>String(t[r]??`{${r}}`));var q=a=>a.trim().replace(/^\+/,""),M=async(a,e)=>(await a.callWS({type:"dinstar/gateways",...e?{entry_id:e}:{}})).gateways,Ke=(a,e,t)=>a.callWS({type:"dinstar/history/conversations",limit:t,...e?{entry_id:e}:{}}),de=(a,e,t,s)=>a.callWS({type:"dinstar/history/messages",entry_id:e,number:t,limit:50,...s?{before:s}:{}}),le=(a,e,t)=>a.callWS({type:"dinstar/history/mark_read",entry_id:e,number:t}),We=(a,e,t)=>a.connection.subscribeMessage(e,{type:"dinstar/history/subscribe",...t?{entry_id:t}:{}}),Fe=(a,e,t,s,r)=>a.callService("dinstar","send_sms",{config_entry_id:e,recipients:[t],message:s,...r===null?{}:{ports:[r]}}),Ve=(a,e)=>{history.pushState(null,"",`/config/devices/device/${e}`),a.dispatchEvent(new CustomEvent("location-changed",{bubbles:!0,composed:!0}))};var xt={sending:"🕓",sent:"✓",delivered:"✓✓",failed:"!",expired:"?"},kt=100,B=class extends _{static{this.properties={hass:{attribute:!1},entryId:{attribute:"entry-id"},narrow:{type:Boolean},_list:{state:!0},_thread:{state:!0},_composing:{state:!0},_gateways:{state:!0},_error:{state:!0},_sending:{state:!0},_port:{state:!0}}}constructor(){super(),this.narrow=!1,this._composing=!1,this._gateways=[],this._sending=!1,this._port=""}connectedCallback(){super.connectedCallback(),this.hass&&this._start()}disconnectedCallback(){super.disconnectedCallback(),this._unsubscribe?.then(e=>e()),this._unsubscribe=void 0}willUpdate(){this.hass&&!this._unsubscribe&&this.isConnected&&this._start()}_start(){this._unsubscribe=We(this.hass,e=>this._changed(e),this.entryId),this._reload(),M(this.hass,this.entryId).then(e=>this._gateways=e)}_t(e,t){return m(w(this.hass),e,t)}async _reload(){this._list=(await Ke(this.hass,this.entryId,kt)).conversations}_changed(e){this._reload();let t=this._thread;if(e.type==="read"||!t||t.entryId!==e.entry_id||q(e.message.number)!==q(t.number))return;let s=t.messages.filter(r=>r.id!==e.message.id);this._thread={...t,messages:[e.message,...s].sort((r,n)=>n.id-r.id)},e.message.direction==="in"&&le(this.hass,t.entryId,t.number)}async open(e,t){this._composing=!1,this._error=void 0;let s=await de(this.hass,e,t);this._thread={entryId:e,number:t,messages:s.messages,hasMore:s.has_more};let r=s.messages.find(n=>n.port!==null);this._port=r?.port?String(r.port):"",await le(this.hass,e,t),await this.updateComplete,this.renderRoot.querySelector("textarea")?.focus()}async _older(){let e=this._thread;if(!e)return;let t=e.messages[e.messages.length-1],s=await de(this.hass,e.entryId,e.number,t?.id);this._thread={...e,messages:[...e.messages,...s.messages],hasMore:s.has_more}}_compose(){this._thread=void 0,this._composing=!0,this._error=void 0,this._port=""}_back(){this._thread=void 0,this._composing=!1,this._error=void 0}async _send(e){e.preventDefault();let t=e.target,s=new FormData(t),r=String(s.get("message")??""),n=this._thread?.entryId??String(s.get("gateway")??""),i=this._thread?.number??String(s.get("number")??"").trim(),p=s.get("port")?Number(s.get("port")):null;this._sending=!0,this._error=void 0;try{await Fe(this.hass,n,i,r,p),t.querySelector("textarea").value="",this._thread||await this.open(n,i)}catch(o){this._error=o.message??String(o)}finally{this._sending=!1}}_time(e){let t=new Date(e),s=new Date().toDateString()===t.toDateString();return t.toLocaleString(w(this.hass),{...s?{}:{day:"numeric",month:"short"},hour:"2-digit",minute:"2-digit"})}render(){if(!this.hass)return d;let e=this._thread!==void 0||this._composing;return l`
      <div class="layout ${this.narrow?"narrow":""} ${e?"detail":""}">
        <section class="list" aria-label=${this._t("conversations")}>
          <div class="list-header">
            <h2>${this._t("conversations")}</h2>
            <button class="new" @click=${this._compose}>${this._t("new_message")}</button>
          </div>
          ${this._renderList()}
        </section>
        <section class="thread" aria-live="polite">
          ${this._thread?this._renderThread(this._thread):this._composing?this._renderCompose():d}
        </section>
      </div>
    `}_renderList(){if(this._list===void 0)return l``;if(this._list.length===0)return l`<p class="empty">${this._t("no_conversations")}</p>`;let e=new Set(this._list.map(t=>t.entry_id)).size>1;return l`<ul class="conversations" role="list">
      ${this._list.map(t=>{let s=this._thread?.entryId===t.entry_id&&q(this._thread.number)===t.key;return l`<li>
          <button
            class="conversation ${s?"selected":""}"
            data-number=${t.number}
            aria-current=${s?"true":"false"}
            @click=${()=>this.open(t.entry_id,t.number)}
          >
            <span class="who">
              <span class="number">${t.number}</span>
              ${e?l`<span class="gateway">${t.gateway}</span>`:d}
            </span>
            <span class="preview">${t.last.text}</span>
            <span class="when">${this._time(t.last.time)}</span>
            ${t.unread?l`<span
                  class="badge"
                  aria-label=${this._t("unread",{count:t.unread})}
                  >${t.unread}</span
                >`:d}
          </button>
        </li>`})}
    </ul>`}_renderThread(e){let t=this._gateways.find(s=>s.entry_id===e.entryId);return l`
      <div class="thread-header">
        <button class="back" @click=${this._back} aria-label=${this._t("back")}>←</button>
        <h2>${e.number}</h2>
      </div>
      <ol class="messages" aria-label=${e.number}>
        ${[...e.messages].reverse().map(s=>this._renderMessage(s))}
      </ol>
      ${e.hasMore?l`<button class="older" @click=${this._older}>${this._t("older")}</button>`:d}
      ${this._renderForm(t,!1)}
    `}_renderMessage(e){let t=e.status,s=t?this._t(`status_${t}`):this._t("received"),r=e.port?` · ${this._t("via_port",{port:e.port})}`:"";return l`<li
      class="message ${e.direction} ${t??""}"
      data-id=${e.id}
      data-status=${t??"received"}
    >
      <div class="text">${e.text}</div>
      <div class="info">
        <span>${this._time(e.time)}${r}</span>
        ${t?l`<span class="mark" role="img" aria-label=${s} title=${s}
              >${xt[t]}</span
            >`:l`<span class="visually-hidden">${s}</span>`}
      </div>
    </li>`}_renderCompose(){return l`
      <div class="thread-header">
        <button class="back" @click=${this._back} aria-label=${this._t("back")}>←</button>
        <h2>${this._t("new_message")}</h2>
      </div>
      ${this._renderForm(void 0,!0)}
    `}_renderForm(e,t){let s=t?this._gateways:e?[e]:[],r=(t?this._gateways[0]:e)?.ports??[];return l`<form class="compose" @submit=${this._send}>
      ${t?l`
            ${s.length>1?l`<label
                  >${this._t("gateway")}
                  <select name="gateway">
                    ${s.map(n=>l`<option value=${n.entry_id}>${n.title}</option>`)}
                  </select></label
                >`:l`<input type="hidden" name="gateway" value=${s[0]?.entry_id??""} />`}
            <label
              >${this._t("to")}
              <input
                name="number"
                type="tel"
                required
                autocomplete="tel"
                placeholder=${this._t("number_placeholder")}
            /></label>
          `:d}
      <label class="port"
        >${this._t("send_from")}
        <select
          name="port"
          .value=${this._port}
          @change=${n=>this._port=n.target.value}
        >
          <option value="" ?selected=${this._port===""}>${this._t("any_port")}</option>
          ${r.map(n=>l`<option value=${n.port} ?selected=${String(n.port)===this._port}>
                ${this._t("port",{port:n.port})}
              </option>`)}
        </select></label
      >
      <div class="send-row">
        <textarea
          name="message"
          required
          rows="2"
          aria-label=${this._t("message")}
          placeholder=${this._t("message")}
          @keydown=${n=>{n.key==="Enter"&&(n.ctrlKey||n.metaKey)&&n.target.form?.requestSubmit()}}
        ></textarea>
        <button type="submit" class="send" ?disabled=${this._sending}>
          ${this._t("send")}
        </button>
      </div>
      ${this._error?l`<p class="error" role="alert">${this._error}</p>`:d}
    </form>`}static{this.styles=y`
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
  `}};var At={register_ok:"ok",searching_network:"warn",unregister:"warn",pin_require:"alert",puk_require:"alert"},Et=new Set(["pin_require","puk_require"]),Ct=a=>a>=-73?4:a>=-83?3:a>=-93?2:a>=-103?1:0,Mt=6e4,K=class extends _{constructor(){super(...arguments);this._loadedFor=null}static{this.properties={hass:{attribute:!1},_config:{state:!0},_gateway:{state:!0},_missing:{state:!0}}}static getConfigElement(){return document.createElement("dinstar-sim-card-editor")}static async getStubConfig(t){let[s]=await M(t);return{type:"custom:dinstar-sim-card",entry_id:s?.entry_id}}setConfig(t){this._config=t,this._loadedFor=null}getCardSize(){return 1+Math.ceil((this._gateway?.ports.length??4)/2)*2}getGridOptions(){return{columns:12,min_columns:6}}connectedCallback(){super.connectedCallback(),this._timer=window.setInterval(()=>{this._load()},Mt)}disconnectedCallback(){super.disconnectedCallback(),window.clearInterval(this._timer)}willUpdate(){this.hass&&this._config&&this._loadedFor!==this._config.entry_id&&(this._loadedFor=this._config.entry_id,this._load())}async _load(){if(this.hass)try{let t=await M(this.hass);this._gateway=t.find(s=>s.entry_id===this._config.entry_id)??(this._config.entry_id?void 0:t[0]),this._missing=this._gateway===void 0}catch{this._gateway=void 0,this._missing=!0}}_t(t,s){return m(w(this.hass),t,s)}get _format(){let t=this.hass;return s=>t.formatEntityState?t.formatEntityState(s):s.state}_state(t){return t?this.hass.states[t]:void 0}render(){if(!this.hass||!this._config)return d;let t=this._gateway;if(!t)return l`<ha-card
        ><div class="empty">
          ${this._missing?this._t("choose_gateway"):d}
        </div></ha-card
      >`;let s=this._state(t.sms_queue);return l`
      <ha-card>
        <div class="header">
          <h2 class="title">${t.title}</h2>
          <div class="meta">
            ${s?l`<span class="chip">${this._t("queue",{count:s.state})}</span>`:d}
            <span class="chip ${t.push_works?"ok":"warn"}"
              >${this._t(t.push_works?"push_works":"push_off")}</span
            >
          </div>
        </div>
        <ul class="ports" role="list">
          ${t.ports.map(r=>this._renderPort(r))}
        </ul>
      </ha-card>
    `}_renderPort(t){let s=this._state(t.entities.registration),r=this._state(t.entities.signal_strength),n=this._state(t.entities.network_type),i=this._state(t.entities.phone_number),p=this._state(t.entities.last_sms),o=s?.state??"unknown",h=At[o]??"off",u=Et.has(o),c=r?Number(r.state):NaN,g=Number.isFinite(c)?Ct(c):0,v=this._t("port",{port:t.port}),A=i&&!["unknown","unavailable",""].includes(i.state),he=p&&!["unknown","unavailable"].includes(p.state);return l`
      <li class="port-item">
        <button
          class="port ${h} ${u?"needs-code":""}"
          data-port=${t.port}
          data-registration=${o}
          aria-label=${this._t("open_device",{port:t.port})}
          ?disabled=${!t.device_id}
          @click=${()=>t.device_id&&Ve(this,t.device_id)}
        >
          <div class="row">
            <span class="name">${v}</span>
            <span class="bars" role="img" aria-label=${this._t("signal_bars",{bars:g})}>
              ${[1,2,3,4].map(ue=>l`<i class=${ue<=g?"on":""} style="height:${ue*25}%"></i>`)}
            </span>
          </div>
          <div class="row">
            <span class="registration ${h}"
              >${s?this._format(s):"—"}</span
            >
            <span class="dbm">${Number.isFinite(c)?`${c} dBm`:"—"}</span>
          </div>
          ${u?l`<div class="pin-alert">${this._t("pin_needed")}</div>`:d}
          <div class="row small">
            <span>${n&&n.state!=="unknown"?this._format(n):"—"}</span>
            <span class="number">${A?i.state:this._t("no_number")}</span>
          </div>
          <div class="last-sms small" title=${he?p.state:""}>
            ${this._t("last_sms")}: ${he?p.state:this._t("none")}
          </div>
        </button>
      </li>
    `}static{this.styles=y`
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
  `}},L=class extends _{constructor(){super(...arguments);this.allGateways=!1}static{this.properties={hass:{attribute:!1},_config:{state:!0},_gateways:{state:!0}}}setConfig(t){this._config=t}willUpdate(){this.hass&&this._gateways===void 0&&(this._gateways=[],M(this.hass).then(t=>this._gateways=t))}render(){if(!this.hass||!this._config)return d;let t=s=>m(w(this.hass),s);return this._gateways?.length===0?l`<p>${t("no_gateway")}</p>`:l`
      <label for="gateway">${t("gateway")}</label>
      <select id="gateway" @change=${this._changed}>
        ${this.allGateways?l`<option value="" ?selected=${!this._config.entry_id}>
              ${t("all_gateways")}
            </option>`:d}
        ${this._gateways?.map(s=>l`<option
              value=${s.entry_id}
              ?selected=${s.entry_id===this._config.entry_id}
            >
              ${s.title}
            </option>`)}
      </select>
    `}_changed(t){let s=t.target.value,{entry_id:r,...n}=this._config;this._config=s?{...n,entry_id:s}:n,this.dispatchEvent(new CustomEvent("config-changed",{detail:{config:this._config},bubbles:!0,composed:!0}))}static{this.styles=y`
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
  `}},W=class extends L{constructor(){super(...arguments);this.allGateways=!0}};var ce=class extends _{constructor(){super(...arguments);this._observer=new ResizeObserver(([t])=>{this._narrow=(t?.contentRect.width??0)<600})}static{this.properties={hass:{attribute:!1},_config:{state:!0},_narrow:{state:!0}}}static getConfigElement(){return document.createElement("dinstar-conversations-card-editor")}static getStubConfig(){return{type:"custom:dinstar-conversations-card"}}setConfig(t){this._config=t}getCardSize(){return 8}connectedCallback(){super.connectedCallback(),this._observer.observe(this)}disconnectedCallback(){super.disconnectedCallback(),this._observer.disconnect()}render(){return!this.hass||!this._config?d:l`<ha-card>
      <dinstar-messages
        .hass=${this.hass}
        .entryId=${this._config.entry_id}
        .narrow=${this._narrow??!0}
      ></dinstar-messages>
    </ha-card>`}static{this.styles=y`
    ha-card {
      overflow: hidden;
      height: 480px;
    }
  `}},pe=class extends _{static{this.properties={hass:{attribute:!1},narrow:{type:Boolean}}}render(){return this.hass?l`
      <div class="toolbar">
        <ha-menu-button .hass=${this.hass} .narrow=${this.narrow}></ha-menu-button>
        <h1>${m(w(this.hass),"title")}</h1>
      </div>
      <main>
        <dinstar-messages .hass=${this.hass} .narrow=${this.narrow}></dinstar-messages>
      </main>
    `:d}static{this.styles=y`
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
  `}},P=(a,e)=>{customElements.get(a)||customElements.define(a,e)};P("dinstar-messages",B);P("dinstar-sim-card",K);P("dinstar-sim-card-editor",L);P("dinstar-conversations-card",ce);P("dinstar-conversations-card-editor",W);P("dinstar-sms-panel",pe);var F=document.documentElement.lang||navigator.language,Qe=window.customCards??=[];for(let a of[{type:"dinstar-sim-card",name:m(F,"sim_card_name"),description:m(F,"sim_card_description"),preview:!0},{type:"dinstar-conversations-card",name:m(F,"conversations_card_name"),description:m(F,"conversations_card_description")}])Qe.some(e=>e.type===a.type)||Qe.push({...a,documentationURL:"https://github.com/dinstar-ha/dinstar#dashboard"});
/*! Bundled license information:

@lit/reactive-element/css-tag.js:
  (**
   * @license
   * Copyright 2019 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

@lit/reactive-element/reactive-element.js:
lit-html/lit-html.js:
lit-element/lit-element.js:
  (**
   * @license
   * Copyright 2017 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

lit-html/is-server.js:
  (**
   * @license
   * Copyright 2022 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)
*/
