import { Empty } from "../../components/States";

/** Models: the page is being built; the API already offers everything it will show. */
export default function ModelsPage() {
  return (
    <>
      <h1>Models</h1>
      <Empty>Models appear here once a training job succeeds.</Empty>
    </>
  );
}
