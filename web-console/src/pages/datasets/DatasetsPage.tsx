import { Empty } from "../../components/States";

/** Datasets: the page is being built; the API already offers everything it will show. */
export default function DatasetsPage() {
  return (
    <>
      <h1>Datasets</h1>
      <Empty>Upload a dataset to start.</Empty>
    </>
  );
}
