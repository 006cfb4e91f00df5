// Small building blocks every screen uses: problem notices, skeletons, state badges, times,
// and live queries that refetch after the socket reconnects.
import { Dialog } from '@kobalte/core/dialog';
import { Toast, toaster } from '@kobalte/core/toast';
import type { AnyVariables, DocumentInput, RequestPolicy } from '@urql/core';
import {
  createQuery,
  createSubscription,
  useClient,
  type CreateQueryState,
  type CreateSubscriptionArgs,
} from '@urql/solid';
import { createEffect, createSignal, For, on, Show, type Accessor, type JSX, type ParentProps } from 'solid-js';
import { resyncs } from '../client';
import type { Problem } from '../lib/errors';
import { exactTime, fromNow } from '../lib/time';

/** A query that is fetched again whenever the live socket comes back (it may have missed events). */
export function createLiveQuery<Data, Variables extends AnyVariables>(args: {
  query: DocumentInput<Data, Variables>;
  variables?: () => Variables;
  pause?: () => boolean;
  requestPolicy?: RequestPolicy;
}): [CreateQueryState<Data, Variables>, () => void] {
  const client = useClient();
  const [result] = createQuery<Data, Variables>({
    query: args.query,
    ...(args.variables ? { variables: args.variables } : {}),
    ...(args.pause ? { pause: args.pause } : {}),
    requestPolicy: args.requestPolicy ?? 'cache-and-network',
  });
  // Through the client rather than createQuery's execute: asking execute twice for the same
  // policy is one operation to it, so a second refetch would never leave. The result reaches
  // this query all the same (urql hands results to every subscriber of the operation).
  const refetch = () => {
    if (args.pause?.()) return;
    void client
      .query(args.query, (args.variables?.() ?? {}) as Variables, { requestPolicy: 'network-only' })
      .toPromise();
  };
  createEffect(on(resyncs, refetch, { defer: true }));
  return [result, refetch];
}

/**
 * Calls `onEvent` for every event of a subscription. The subscription's state is merged in
 * place, so an effect on its `data` sees the first event and misses later ones.
 */
export function onLiveEvent<Data, Variables extends AnyVariables>(
  args: CreateSubscriptionArgs<Data, Variables>,
  onEvent: (data: Data) => void,
) {
  return createSubscription<Data, Data, Variables>(args, (_previous, data) => {
    onEvent(data);
    return data;
  });
}

export function ProblemNotice(props: { problem: Problem; onRetry?: () => void }) {
  return (
    <div class="problem" role="alert">
      <p class="problem-message">{props.problem.message}</p>
      <Show when={props.problem.requestId}>
        <p class="problem-id">
          Request id <code>{props.problem.requestId}</code>
        </p>
      </Show>
      <Show when={props.onRetry}>
        <button type="button" class="button" onClick={() => props.onRetry?.()}>
          Try again
        </button>
      </Show>
    </div>
  );
}

export function Skeleton(props: { rows?: number; label?: string }) {
  return (
    <div class="skeleton" role="status" aria-label={props.label ?? 'Loading'} aria-busy="true">
      <For each={Array.from({ length: props.rows ?? 4 })}>{() => <div class="skeleton-row" />}</For>
    </div>
  );
}

export function Empty(props: ParentProps<{ title: string }>) {
  return (
    <div class="empty">
      <p class="empty-title">{props.title}</p>
      {props.children}
    </div>
  );
}

const stateTone: Record<string, string> = {
  SCHEDULED: 'blue',
  PUBLISHING: 'amber',
  PUBLISHED: 'green',
  FAILED: 'red',
  CANCELLED: 'grey',
  GENERATING: 'amber',
  GENERATION_FAILED: 'red',
  IN_REVIEW: 'orange',
  APPROVED: 'green',
  REJECTED: 'red',
  DRAFT: 'grey',
  READY: 'green',
  PARTIAL: 'orange',
  QUEUED: 'grey',
  ACTIVE: 'green',
  REVOKED: 'red',
  TOKEN_EXPIRED: 'orange',
  ERROR: 'red',
  DISCONNECTED: 'grey',
  SUCCEEDED: 'green',
  RUNNING: 'amber',
  PENDING: 'amber',
  ENABLED: 'green',
  DISABLED: 'grey',
  // Ads: connections, TikTok's statuses, bulk jobs and their items.
  RECONNECT_NEEDED: 'orange',
  STATUS_ENABLE: 'green',
  PAUSED: 'grey',
  DELETED: 'grey',
  DELETE: 'grey',
  PREVIEW: 'blue',
  PARTIALLY_FAILED: 'orange',
  DONE: 'green',
  SKIPPED: 'grey',
  // Ads alerts: what fired, and deliveries whose answer was lost.
  DAILY_SPEND_ABOVE: 'orange',
  COST_PER_CONVERSION_ABOVE: 'orange',
  AD_REJECTED: 'red',
  CONNECTION_BROKEN: 'red',
  SENT: 'green',
  OUTCOME_UNKNOWN: 'orange',
  // AI video review findings.
  PASS: 'green',
  WARN: 'orange',
  FAIL: 'red',
};

/** A state as a word with its colour; the colour is never the only signal. */
export function StateBadge(props: { state: string }) {
  return (
    <span class={`badge tone-${stateTone[props.state] ?? 'grey'}`} data-state={props.state}>
      <span class="badge-dot" aria-hidden="true" />
      {props.state.replaceAll('_', ' ').toLowerCase()}
    </span>
  );
}

export function Time(props: { at: string | null | undefined; fallback?: string }) {
  return (
    <Show when={props.at} fallback={<span class="muted">{props.fallback ?? '—'}</span>}>
      {(at) => (
        <time datetime={at()} title={exactTime(at())}>
          {fromNow(at())}
        </time>
      )}
    </Show>
  );
}

export function PageHeader(props: ParentProps<{ title: string }>) {
  createEffect(() => (document.title = `${props.title} · Pressroom`));
  return (
    <header class="page-header">
      <h1>{props.title}</h1>
      <div class="page-actions">{props.children}</div>
    </header>
  );
}

/**
 * A destructive action asks first, naming what will happen. Kobalte's Dialog with the
 * alertdialog role: its AlertDialog export reassigns the parts of the Dialog it shares a
 * root function with, which turns every drawer into an alert dialog once both are bundled.
 */
export function ConfirmButton(props: {
  label: string;
  title: string;
  description: string;
  confirmLabel: string;
  onConfirm: () => void | Promise<void>;
  class?: string;
  disabled?: boolean;
  /** The trigger's accessible name when its label alone is ambiguous in a list ("Delete logo.png"). */
  ariaLabel?: string;
}) {
  const [open, setOpen] = createSignal(false);
  return (
    <Dialog open={open()} onOpenChange={setOpen}>
      <Dialog.Trigger class={props.class ?? 'button'} disabled={props.disabled} aria-label={props.ariaLabel}>
        {props.label}
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay class="overlay" />
        <div class="dialog-position">
          <Dialog.Content class="dialog" role="alertdialog">
            <Dialog.Title class="dialog-title">{props.title}</Dialog.Title>
            <Dialog.Description class="dialog-description">{props.description}</Dialog.Description>
            <div class="dialog-actions">
              <Dialog.CloseButton class="button" aria-label="Keep it">
                Keep it
              </Dialog.CloseButton>
              <button
                type="button"
                class="button danger"
                onClick={() => {
                  setOpen(false);
                  void props.onConfirm();
                }}
              >
                {props.confirmLabel}
              </button>
            </div>
          </Dialog.Content>
        </div>
      </Dialog.Portal>
    </Dialog>
  );
}

/**
 * A dialog around a form: the trigger that opens it, a title and a description, then the form
 * (the children, which end with <DialogActions>). The caller owns `open`, so it can close the
 * dialog once the form's action succeeds and reset the form whenever it closes.
 */
export function FormDialog(
  props: ParentProps<{
    open: boolean;
    onOpenChange: (open: boolean) => void;
    trigger: JSX.Element;
    triggerClass?: string;
    /** The trigger's accessible name when its label alone is ambiguous in a list. */
    triggerAriaLabel?: string;
    title: JSX.Element;
    description: JSX.Element;
    /** Classes added to the dialog's box (its width, mostly). */
    class?: string;
  }>,
) {
  return (
    <Dialog open={props.open} onOpenChange={(open) => props.onOpenChange(open)}>
      <Dialog.Trigger class={props.triggerClass ?? 'button'} aria-label={props.triggerAriaLabel}>
        {props.trigger}
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay class="overlay" />
        <div class="dialog-position">
          <Dialog.Content class={props.class ? `dialog ${props.class}` : 'dialog'}>
            <Dialog.Title class="dialog-title">{props.title}</Dialog.Title>
            <Dialog.Description class="dialog-description">{props.description}</Dialog.Description>
            {props.children}
          </Dialog.Content>
        </div>
      </Dialog.Portal>
    </Dialog>
  );
}

/** A form dialog's last row: Cancel (closes it, changing nothing) and the submit button. */
export function DialogActions(props: { submit: JSX.Element; disabled?: boolean }) {
  return (
    <div class="dialog-actions">
      <Dialog.CloseButton class="button" aria-label="Cancel">
        Cancel
      </Dialog.CloseButton>
      <button type="submit" class="button primary" disabled={props.disabled}>
        {props.submit}
      </button>
    </div>
  );
}

/**
 * A side drawer showing one item (a publication, an asset) while `item` is set; closing it
 * (the × button, Escape, a click outside) calls `onClose`.
 */
export function Drawer<T>(props: {
  item: T | null | undefined | false;
  onClose: () => void;
  title: (item: NonNullable<T>) => JSX.Element;
  class?: string;
  children: (item: Accessor<NonNullable<T>>) => JSX.Element;
}) {
  return (
    <Dialog open={!!props.item} onOpenChange={(open) => !open && props.onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay class="overlay" />
        <Dialog.Content class={props.class ? `drawer ${props.class}` : 'drawer'}>
          <Show when={props.item}>
            {(item) => (
              <>
                <div class="drawer-header">
                  <Dialog.Title class="dialog-title">{props.title(item())}</Dialog.Title>
                  <Dialog.CloseButton class="icon-button" aria-label="Close">
                    <span aria-hidden="true">×</span>
                    <span class="visually-hidden">Close</span>
                  </Dialog.CloseButton>
                </div>
                {props.children(item)}
              </>
            )}
          </Show>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog>
  );
}

/**
 * A short message about the result of an action. Kobalte renders toasts as <li role="status">
 * in an <ol>, which is a list whose items are not list items (axe's `list` rule): both are
 * plain elements here, each toast still a polite live region of its own.
 */
export function notify(message: string, tone: 'ok' | 'error' = 'ok') {
  toaster.show((toast) => (
    <Toast as="div" toastId={toast.toastId} class={`toast toast-${tone}`}>
      <Toast.Description>{message}</Toast.Description>
      <Toast.CloseButton class="icon-button" aria-label="Dismiss">
        <span aria-hidden="true">×</span>
        <span class="visually-hidden">Dismiss</span>
      </Toast.CloseButton>
    </Toast>
  ));
}

/** A failed action as an error toast: the server's message and, when known, its request id. */
export function notifyProblem(problem: Problem) {
  notify(problem.requestId ? `${problem.message} (request ${problem.requestId})` : problem.message, 'error');
}

/**
 * From and To date fields (yyyy-mm-dd) for a range filter; `class` is the label's class in
 * the screen's filter bar.
 */
export function DateRangeFields(props: {
  from: string;
  to: string;
  onFrom: (value: string) => void;
  onTo: (value: string) => void;
  class: string;
}) {
  return (
    <>
      <label class={props.class}>
        <span>From</span>
        <input
          class="input"
          type="date"
          value={props.from}
          onChange={(event) => props.onFrom(event.currentTarget.value)}
        />
      </label>
      <label class={props.class}>
        <span>To</span>
        <input class="input" type="date" value={props.to} onChange={(event) => props.onTo(event.currentTarget.value)} />
      </label>
    </>
  );
}

export function Toasts() {
  return (
    <Toast.Region duration={5000} limit={3}>
      <Toast.List as="div" class="toasts" />
    </Toast.Region>
  );
}

export function Field(props: ParentProps<{ label: string; for: string; hint?: JSX.Element }>) {
  return (
    <div class="field">
      <label for={props.for}>{props.label}</label>
      {props.children}
      <Show when={props.hint}>
        <p class="hint">{props.hint}</p>
      </Show>
    </div>
  );
}
