import { Empty } from "../../components/States";

/** Batch predictions: the page is being built; the API already offers everything it will show. */
export default function BatchPage() {
  return (
    <>
      <h1>Batch predictions</h1>
      <Empty>Run a deployed model over a whole dataset to see batch predictions here.</Empty>
    </>
  );
}
