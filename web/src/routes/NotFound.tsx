import { A } from '@solidjs/router';
import { Empty, PageHeader } from '../components/ui';

export default function NotFound() {
  return (
    <>
      <PageHeader title="Not found" />
      <Empty title="There is nothing at this address.">
        <A href="/" class="button">
          Go home
        </A>
      </Empty>
    </>
  );
}
