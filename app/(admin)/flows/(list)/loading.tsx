// In a route group so only the list streams behind a skeleton; an unknown flow still answers a real 404.
import { ListSkeleton } from "@/components/list-skeleton";

export default function Loading() {
  return <ListSkeleton label="IVR flows" />;
}
