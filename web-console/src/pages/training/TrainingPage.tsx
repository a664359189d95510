import { Empty } from "../../components/States";

/** Training: the page is being built; the API already offers everything it will show. */
export default function TrainingPage() {
  return (
    <>
      <h1>Training</h1>
      <Empty>Train a model on a dataset to see its jobs here.</Empty>
    </>
  );
}
