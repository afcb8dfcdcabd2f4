"""The file ``spark-submit`` runs: the bibkit command line inside a Spark application.

    spark-submit --master spark://head:7077 \\
        "$(python -c 'import bibkit.dedupe.spark_main as m; print(m.__file__)')" \\
        dedupe --engine spark 'refs/*.bib' -o merged/

The Spark engine then uses the session spark-submit configured (master, executors, memory).
"""

import sys

from bibkit.cli import main

if __name__ == "__main__":
    sys.exit(main())
